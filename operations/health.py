"""/healthz, /readyz and the Prometheus metrics, answered before anything else runs.

Load balancers and monitors probe app servers by address, over plain http, many times a
minute: these answers come before the host check, the https redirect, sessions and the
database-backed middleware, and they say nothing a stranger could use (no versions, hosts
or error texts).

- ``/healthz``: the process is up and answering. Never touches the database.
- ``/readyz``: the database answers and every migration this release ships is applied
  (200), or not (503). The cache is reported but never fatal: the site works without it.
- ``METRICS_PATH`` (with ``PROMETHEUS_METRICS`` on): django-prometheus's metrics, only to
  ``METRICS_ALLOWED_ADDRESSES`` connecting directly (a request relayed by the reverse proxy,
  which adds ``X-Forwarded-For``, is a reader's and gets a 404).
"""

import functools
import json

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import Http404, HttpResponse

from operations.database import is_outage


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.answers = {"/healthz": healthz, "/readyz": readyz}
        if settings.PROMETHEUS_METRICS:
            self.answers[settings.METRICS_PATH] = metrics

    def __call__(self, request):
        answer = self.answers.get(request.path_info)
        if answer is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        try:
            return answer(request)
        except Http404:
            return HttpResponse("Not Found", status=404, content_type="text/plain")


def healthz(request) -> HttpResponse:
    return _json({"status": "ok"}, status=200)


def readyz(request) -> HttpResponse:
    database, migrations = _database_state()
    report = {"database": database, "migrations": migrations, "cache": _cache_state()}
    ready = database == "ok" and migrations == "ok"
    return _json({"status": "ready" if ready else "unavailable", **report}, status=200 if ready else 503)


def metrics(request) -> HttpResponse:
    proxied = "HTTP_X_FORWARDED_FOR" in request.META
    if proxied or request.META.get("REMOTE_ADDR") not in settings.METRICS_ALLOWED_ADDRESSES:
        raise Http404
    from django_prometheus.exports import ExportToDjangoView

    return ExportToDjangoView(request)


def _database_state() -> tuple[str, str]:
    """("ok" | "unavailable", "ok" | "pending" | "unknown"): one query for both."""
    try:
        applied = MigrationRecorder(connection).applied_migrations()
    except DatabaseError as error:
        if not is_outage(error):
            raise
        if not connection.in_atomic_block:
            connection.close()  # the next request connects afresh
        return "unavailable", "unknown"
    return "ok", "ok" if _release_migrations() <= set(applied) else "pending"


@functools.cache
def _release_migrations() -> frozenset:
    """The latest migration of every app in this release: all applied means the schema is current."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


def _cache_state() -> str:
    cache = caches["default"]
    reachable = getattr(cache, "reachable", None)
    if reachable is None:
        return "per-process"
    return "ok" if reachable() else "unavailable"


def _json(body: dict, *, status: int) -> HttpResponse:
    return HttpResponse(
        json.dumps(body), status=status, content_type="application/json", headers={"Cache-Control": "no-store"}
    )
