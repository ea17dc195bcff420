"""Querysets compiled to SQL once per process, for the few queries every public request runs.

Building and compiling a queryset with nested ``published()`` subqueries costs the ORM
a few milliseconds of Python, many times the database's own work. A CompiledQuery builds
its queryset once with sentinel arguments, keeps the SQL, and on each call swaps the real
values in for the sentinels' parameters. The rule stays written once, in the ORM.

On PostgreSQL planning such a query costs more than running it, so these few statements
are also prepared on the server, once per connection (``execute``).
"""

import functools
import time
from collections.abc import Callable
from datetime import UTC, datetime

from django.db import connections
from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX
from django.db.models import QuerySet

SENTINEL_TIME = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
# A psycopg prepare_threshold no query reaches: statements are prepared only with prepare=True.
ONLY_WHEN_ASKED = 2**31 - 1


def _adapt(connection, value):
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


class CompiledQuery:
    """``build(**sentinels)`` compiled once per database; ``rows(**values)`` runs it with ``values``.

    Sentinels must be values no other parameter of the query can take (an odd year, a
    string with a NUL, ``SENTINEL_TIME``); compiling checks that each one was found.
    """

    def __init__(self, build: Callable[..., QuerySet], *, datetimes: tuple[str, ...] = (), **sentinels):
        self.build = build
        self.sentinels = sentinels
        self.datetimes = datetimes
        self._compiled: dict[str, tuple[str, list, list]] = {}

    def _compile(self, using: str) -> tuple[str, list, list]:
        connection = connections[using]
        sql, params = self.build(**self.sentinels).query.sql_with_params()
        adapted = {name: _adapt(connection, value) for name, value in self.sentinels.items()}
        slots = [next((name for name, value in adapted.items() if param == value), None) for param in params]
        missing = set(self.sentinels) - set(slots)
        if missing:
            raise ValueError(f"sentinels not found among the query's parameters: {sorted(missing)}")
        return sql, list(params), slots

    def rows(self, using: str = "default", **values) -> list[dict]:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        sql, params, slots = compiled
        connection = connections[using]
        adapted = {name: _adapt(connection, value) for name, value in values.items()}
        bound = [param if slot is None else adapted[slot] for param, slot in zip(params, slots, strict=True)]
        columns, rows = execute(connection, sql, bound)
        rows = [dict(zip(columns, row, strict=True)) for row in rows]
        for row in rows:
            for name in self.datetimes:
                row[name] = _to_datetime(connection, row[name])
        return rows


def execute(connection, sql: str, params: list) -> tuple[list[str], list[tuple]]:
    """Run one statement of the public fast path, with less of the ORM's per-call work.

    On PostgreSQL it is a prepared statement: Django turns psycopg's off for every query
    (connection poolers in transaction mode used to break on them); these few use a
    server-binding cursor of their own with ``prepare=True``. On SQLite the placeholder
    conversion is done once. Either way the statement is recorded where Django records
    queries, so query counts stay true.
    """
    if connection.vendor not in ("postgresql", "sqlite"):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [column[0] for column in cursor.description], cursor.fetchall()
    connection.ensure_connection()
    started = time.monotonic()
    if connection.vendor == "sqlite":
        # Straight to sqlite3 with the placeholders converted once, not on every call.
        cursor = connection.connection.execute(_qmark(sql), params)
        result = [column[0] for column in cursor.description], cursor.fetchall()
    else:
        import psycopg

        raw = connection.connection
        if raw.prepare_threshold is None:
            # Django switches preparing off for the connection; its own cursors bind on the
            # client and never prepare, so allowing it only where asked changes nothing else.
            raw.prepare_threshold = ONLY_WHEN_ASKED
        with psycopg.Cursor(raw) as cursor:
            cursor.execute(sql, params, prepare=True)
            result = [column.name for column in cursor.description], cursor.fetchall()
    if connection.queries_logged:
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
    return result


@functools.lru_cache(maxsize=64)
def _qmark(sql: str) -> str:
    """The statement with sqlite3's placeholders, as Django's SQLite cursor writes it."""
    return FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%")


def _to_datetime(connection, value):
    convert = getattr(connection.ops, "convert_datetimefield_value", None)
    # SQLite hands back text or naive datetimes; its backend's converter makes them aware.
    return convert(value, None, connection) if convert is not None and value is not None else value
