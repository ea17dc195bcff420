"""The view counter (浏览次数): one atomic statement per article view."""

from django.conf import settings
from django.db import connection as default_connection

from reports.models import Report


def count_view(report_id: int) -> int:
    """Add one view to a report and return its new count (``UPDATE … RETURNING``).

    Django's ORM cannot return the updated value, so this one statement is written by
    hand and sent through Django's own cursor (error wrapping, query logging and
    ``execute_wrappers`` apply). Inside a transaction the counter commits with it.
    """
    table, column, key = _names(default_connection)
    # Only quoted model names are interpolated; the id is a bound parameter.
    sql = f"UPDATE {table} SET {column} = {column} + 1 WHERE {key} = %s RETURNING {column}"  # noqa: S608
    if then := without_waiting_for_the_disk(default_connection):
        sql += f"; {then}"
    with default_connection.cursor() as cursor:
        cursor.execute(sql, [report_id])
        row = cursor.fetchone()
    return row[0] if row else 0


def counting(lookup: str, columns: list[str], connection) -> str:
    """The article's ``lookup`` (a ``SELECT`` of one report's row, ``view_count`` among
    ``columns``) as a PostgreSQL statement that also adds the view: one round trip per view.

    The row found is updated in the same statement (a data-modifying ``WITH``), and
    ``view_count`` is the count after this view; when nothing is found nothing is counted.
    """
    table, column, key = _names(connection)
    quote = connection.ops.quote_name
    selected = ", ".join(
        f"counted.{column} AS {column}" if name == "view_count" else f"found.{quote(name)}" for name in columns
    )
    return (
        f"WITH found AS ({lookup}), "  # noqa: S608 - quoted model names only; the values stay parameters
        f"counted AS (UPDATE {table} SET {column} = {table}.{column} + 1 FROM found "
        f"WHERE {table}.{key} = found.{key} RETURNING {table}.{column}) "
        f"SELECT {selected} FROM found, counted"
    )


def without_waiting_for_the_disk(connection) -> str:
    """The statement that lets a view's commit skip waiting for the disk, where that applies ("" elsewhere).

    On PostgreSQL, with ``VIEW_COUNT_ASYNC_COMMIT`` on, the counting statement is followed in
    the same round trip by ``SET LOCAL synchronous_commit TO OFF``: the two form one implicit
    transaction, so only this counter's commit skips waiting for the disk. A crash of the
    database server can then lose the views of its last moments (at most three times
    ``wal_writer_delay``, 0.6 s by default); an application crash loses none, and no other
    write is affected. Inside a transaction the view commits with it, as that transaction does.
    """
    if connection.vendor == "postgresql" and settings.VIEW_COUNT_ASYNC_COMMIT and not connection.in_atomic_block:
        return "SET LOCAL synchronous_commit TO OFF"
    return ""


def _names(connection) -> tuple[str, str, str]:
    quote = connection.ops.quote_name
    return quote(Report._meta.db_table), quote("view_count"), quote("id")
