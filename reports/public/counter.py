"""The view counter (浏览次数): one atomic statement per article view."""

from django.conf import settings
from django.db import connection

from reports.models import Report


def count_view(report_id: int) -> int:
    """Add one view to a report and return its new count (``UPDATE … RETURNING``).

    Django's ORM cannot return the updated value, so this one statement is written by
    hand and sent through Django's own cursor (error wrapping, query logging and
    ``execute_wrappers`` apply). On PostgreSQL, with ``VIEW_COUNT_ASYNC_COMMIT`` on, the
    same round trip adds ``SET LOCAL synchronous_commit TO OFF``: the two statements form
    one implicit transaction, so only this counter's commit skips waiting for the disk.
    A crash of the database server can then lose the views of its last moments (at most
    three times ``wal_writer_delay``, 0.6 s by default); an application crash loses none,
    and no other write is affected. Inside a transaction the counter commits with it.
    """
    quote = connection.ops.quote_name
    table, column, key = quote(Report._meta.db_table), quote("view_count"), quote("id")
    # Only quoted model names are interpolated; the id is a bound parameter.
    sql = f"UPDATE {table} SET {column} = {column} + 1 WHERE {key} = %s RETURNING {column}"  # noqa: S608
    if connection.vendor == "postgresql" and settings.VIEW_COUNT_ASYNC_COMMIT and not connection.in_atomic_block:
        sql += "; SET LOCAL synchronous_commit TO OFF"
    with connection.cursor() as cursor:
        cursor.execute(sql, [report_id])
        row = cursor.fetchone()
    return row[0] if row else 0
