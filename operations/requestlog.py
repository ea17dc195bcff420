"""One log line per request: method, path, status, time and SQL statements, for the operator.

Written by the ``operations.requests`` logger at INFO (``LOG_LEVEL=WARNING`` turns it off), as
JSON with ``LOG_FORMAT=json``. The query string is left out: search terms are the readers'.
Statements are counted through Django's ``execute_wrapper``, so only those sent through
Django's cursors are counted.
"""

import logging
import time
from contextlib import ExitStack

from django.db import connections

logger = logging.getLogger("operations.requests")


class StatementCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not logger.isEnabledFor(logging.INFO):
            return self.get_response(request)
        started = time.perf_counter()
        statements = StatementCounter()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(statements))
            response = self.get_response(request)
        milliseconds = (time.perf_counter() - started) * 1000
        logger.info(
            "%s %s %d %.1fms %dsql",
            request.method,
            request.path,
            response.status_code,
            milliseconds,
            statements.count,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round(milliseconds, 2),
                "sql": statements.count,
            },
        )
        return response
