"""The database as the site depends on it: outages answered with a 503, connections that recover, slow
statements cut short.

- **Outage.** While the database cannot be reached (down, restarting, failing over) every page
  that needs it answers the 503 page (``templates/503.html``: the site's header and footer, no
  database content, ``Retry-After``) instead of a 500 with a traceback, and the log says so once
  a minute, not once a request.
- **Recovery.** A worker's persistent connection to a server that has since restarted is dead,
  and nothing knows until it is used. Each request first asks Django's own health check (the one
  Django runs at a request's first cursor; ``operations.postgresql`` answers it from the
  socket, without a round trip) so a dead connection is replaced before anything uses it,
  including code that runs statements on the driver's connection directly; after an error the
  connection is closed, so the next request connects afresh (new prepared statements
  included). No worker needs a restart.
- **Slow statements.** On PostgreSQL every connection the web process opens gets
  ``statement_timeout = PUBLIC_STATEMENT_TIMEOUT_MS``, so one slow query holds a worker for that
  long at most (the reader gets the 503 page); admin requests run under
  ``ADMIN_STATEMENT_TIMEOUT_MS`` instead. Commands (``migrate``, the importer) have no limit.
"""

import logging
import sys
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.template import loader

from operations.logs import OutageLog
from reports.context_processors import site
from reports.public.views import errors

logger = logging.getLogger(__name__)
outage_log = OutageLog(logger, "Database")

# Long enough for a restart or a failover, short enough that readers come back soon.
RETRY_AFTER_SECONDS = 30


def is_outage(error: BaseException | None) -> bool:
    """Whether ``error`` says the database cannot be used right now (unreachable, restarting, timed out).

    Django wraps the driver's errors; code that used the driver's connection directly raises
    them unwrapped.
    """
    if isinstance(error, OperationalError | InterfaceError):
        return True
    return any(
        isinstance(error, connection.Database.OperationalError | connection.Database.InterfaceError)
        for connection in connections.all(initialized_only=True)
    )


class DatabaseAvailabilityMiddleware:
    """Dead connections replaced before use, statement timeouts per kind of request, outages noted."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = f"/{settings.ADMIN_PATH}/"
        # Only processes that serve requests build middleware: commands keep their connections unlimited.
        connection_created.connect(apply_public_statement_timeout, dispatch_uid="operations.statement_timeout")

    def __call__(self, request):
        for connection in connections.all(initialized_only=True):
            connection.close_if_health_check_failed()
        if request.path_info.startswith(self.admin_prefix):
            with _statement_timeout(settings.ADMIN_STATEMENT_TIMEOUT_MS):
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        if outage_log.down and not getattr(request, "database_unavailable", False):
            if any(connection.connection is not None for connection in connections.all(initialized_only=True)):
                outage_log.recovery()
        return response


def server_error(request):
    """``handler500``: a database outage gets the 503 page, anything else the 500 page.

    Django calls it while handling the exception, from whichever layer raised it (a view or
    a middleware such as the public pages' fast path).
    """
    error = sys.exception()
    if not is_outage(error):
        return errors.server_error(request)
    request.database_unavailable = True
    outage_log.failure(error)
    for connection in connections.all(initialized_only=True):
        # A transaction still open is rolled back and closed by whoever opened it.
        if not connection.in_atomic_block:
            connection.close()
    return unavailable(request)


def unavailable(request) -> HttpResponse:
    try:
        html = loader.get_template("503.html").render({**site(request), "request": request})
    except Exception:
        logger.exception("the 503 page could not be rendered")
        html = '<!DOCTYPE html><html lang="zh-CN"><title>503</title><h1>服务暂时不可用（503）</h1></html>'
    return HttpResponse(
        html, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    )


class DropOutageTracebacks(logging.Filter):
    """Keeps the ``django.request`` traceback of each outage request out of the log (``outage_log`` reports it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and is_outage(record.exc_info[1]))


def apply_public_statement_timeout(sender, connection, **kwargs) -> None:
    timeout = settings.PUBLIC_STATEMENT_TIMEOUT_MS
    if connection.vendor == "postgresql" and timeout:
        _set_statement_timeout(connection, timeout)


def _set_statement_timeout(connection, milliseconds: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{milliseconds}ms"])


@contextmanager
def _statement_timeout(milliseconds: int):
    """Run one request under another statement timeout, then give the connection back the public one."""
    connection = connections["default"]
    if connection.vendor != "postgresql" or milliseconds == settings.PUBLIC_STATEMENT_TIMEOUT_MS:
        yield
        return
    _set_statement_timeout(connection, milliseconds)
    yield
    if connection.connection is None or connection.in_atomic_block:
        return  # closed (a new connection starts with the public timeout), or not ours to use
    try:
        _set_statement_timeout(connection, settings.PUBLIC_STATEMENT_TIMEOUT_MS)
    except DatabaseError:
        # A connection that cannot take the public timeout back is of no use to public requests.
        connection.close()
