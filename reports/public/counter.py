"""The view counter (浏览次数): every view served is counted once.

Two ways, chosen by ``VIEW_COUNT_FLUSH_MS``:

- ``0`` (the default on SQLite): each view is written by the request that serves it, in
  one atomic statement (``write_view``; on PostgreSQL the article's lookup itself,
  ``counting``). The page shows the count with this view, as every server sees it.
- above ``0`` (the default on PostgreSQL, 1,000 ms): each process adds its views up in
  memory (``ViewBuffer``) and a thread of its own writes them every so often in one
  statement, so a view costs no write and no round trip of its own. The page shows the
  written count plus this process's views not yet written: another server's views of the
  last moment show once written. What a crash can lose: a process killed outright (out of
  memory, ``SIGKILL``) loses its views not yet written, at most one interval's; a graceful
  stop or restart writes them first; while the database is unreachable they are kept and
  written when it is back. Nothing else is written this way.
"""

import atexit
import logging
import threading
from collections import Counter

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.db.models import Case, F, Value, When

from reports.models import Report

logger = logging.getLogger(__name__)


def is_a_view(request) -> bool:
    """Whether serving this request counts as a view: HEAD requests (link checkers, monitors) are not readers."""
    return request.method == "GET"


def count_view(report_id: int, written: int, using: str) -> int:
    """Count one view of a report whose written count is ``written``; the count to show."""
    if settings.VIEW_COUNT_FLUSH_MS:
        return written + buffer().add(report_id)
    return write_view(report_id, connections[using])


def counts_in_lookup(connection) -> bool:
    """Whether the article's lookup counts the view itself (``counting``): unbuffered PostgreSQL."""
    return connection.vendor == "postgresql" and not settings.VIEW_COUNT_FLUSH_MS


def write_view(report_id: int, connection) -> int:
    """Add one view to a report and return its new count (``UPDATE … RETURNING``).

    Django's ORM cannot return the updated value, so this one statement is written by
    hand and sent through Django's own cursor (error wrapping, query logging and
    ``execute_wrappers`` apply). Inside a transaction the counter commits with it.
    """
    table, column, key = _names(connection)
    # Only quoted model names are interpolated; the id is a bound parameter.
    sql = f"UPDATE {table} SET {column} = {column} + 1 WHERE {key} = %s RETURNING {column}"  # noqa: S608
    if then := without_waiting_for_the_disk(connection):
        sql += f"; {then}"
    with connection.cursor() as cursor:
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


class ViewBuffer:
    """Views counted in this process and not yet written, and the thread that writes them."""

    def __init__(self, interval_ms: int):
        self.interval = interval_ms / 1000
        self.pending: Counter[int] = Counter()
        self.counting = threading.Lock()  # guards ``pending``
        self.writing = threading.Lock()  # one write at a time: the thread's, or the one at exit
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def add(self, report_id: int) -> int:
        """Count one view; how many views of this report the process has not written yet."""
        with self.counting:
            self.pending[report_id] += 1
            if self.thread is None:
                self.thread = threading.Thread(target=self._write_every_interval, name="view-counts", daemon=True)
                self.thread.start()
                atexit.register(self._write_at_exit)
            return self.pending[report_id]

    def write(self) -> bool:
        """Write the views counted so far in one statement; whether there were any.

        Views that could not be written (the database unreachable) are kept for the next time.
        """
        with self.writing:
            with self.counting:
                views, self.pending = self.pending, Counter()
            if not views:
                return False
            try:
                with transaction.atomic():
                    added = Case(*(When(pk=pk, then=Value(count)) for pk, count in views.items()))
                    Report.objects.filter(pk__in=views).update(view_count=F("view_count") + added)
            except DatabaseError:
                with self.counting:
                    self.pending.update(views)
                raise
            return True

    def stop(self) -> None:
        self.stopped.set()

    def _write_at_exit(self) -> None:
        try:
            self.write()
        except DatabaseError:
            lost = sum(self.pending.values())
            logger.error("view counts: %d views not written, the database did not answer at exit", lost, exc_info=True)

    def _write_every_interval(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                if not self.write():
                    connections.close_all()  # idle: this thread gives its connection back
            except DatabaseError:
                logger.warning("view counts not written yet, kept for the next try", exc_info=True)
                connections.close_all()  # reconnect next time


_buffer: ViewBuffer | None = None
_buffer_lock = threading.Lock()


def buffer() -> ViewBuffer:
    """This process's view buffer, made on first use."""
    global _buffer
    with _buffer_lock:
        if _buffer is None:
            _buffer = ViewBuffer(settings.VIEW_COUNT_FLUSH_MS)
        return _buffer


def _names(connection) -> tuple[str, str, str]:
    quote = connection.ops.quote_name
    return quote(Report._meta.db_table), quote("view_count"), quote("id")
