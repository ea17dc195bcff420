"""A query compiled to SQL once per process and database, then run through Django's own cursor.

The public state runs on every public request, and the article's lookup on every view.
Building the lookup with the ORM costs about 1.6 ms of Python; running it, 0.05 ms. So each
is compiled once, by Django's own compiler for the database that runs it, from the same
queryset code with sentinel values where each request's values go, and executed through
``connection.cursor()``: error wrapping, ``execute_wrappers`` and query logging apply as to
any ORM query, and Django's converters turn the columns into Python values as the ORM would.
"""

from datetime import UTC, datetime

from django.core.exceptions import ImproperlyConfigured
from django.db import connections

# A "now" no request carries, marking where each request's time goes.
SENTINEL_NOW = datetime(1900, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)


class CompiledQuery:
    """``build(**values)`` returns a ``.values()`` queryset; ``rows(using, **values)`` runs it."""

    def __init__(self, build, **sentinels):
        self.build = build
        self.sentinels = sentinels
        self._compiled: dict[str, tuple] = {}

    def rows(self, using: str, **values) -> list[dict]:
        connection = connections[using]
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        sql, constants, slots, compiler, converters = compiled
        adapted = {name: _adapt(connection, value) for name, value in values.items()}
        params = [adapted[slot] if slot else constant for slot, constant in zip(slots, constants, strict=True)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            names = [column[0] for column in cursor.description]
            rows = cursor.fetchall()
        if converters:
            rows = compiler.apply_converters(rows, converters)
        return [dict(zip(names, row, strict=True)) for row in rows]

    def _compile(self, using: str) -> tuple:
        compiler = self.build(**self.sentinels).query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        sentinels = {name: _adapt(connections[using], value) for name, value in self.sentinels.items()}
        slots = [next((name for name, value in sentinels.items() if param == value), None) for param in params]
        if missing := set(sentinels) - set(slots):
            raise ImproperlyConfigured(f"the compiled query does not take {sorted(missing)} as parameters")
        converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
        return sql, params, slots, compiler, converters


def _adapt(connection, value):
    """A value as the ORM passes it to this database for a lookup."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value
