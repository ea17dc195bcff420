"""The view count: every view served counted exactly once, written by its request or by the view buffer."""

import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from unittest import mock
from urllib.request import urlopen

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from reports.models import Report
from reports.public import counter
from tests import factories, seed
from tests.servers import Gunicorn, production_env

READERS = 50
SEED_ARTICLE = "/reports/2019/pandong/"


def read_concurrently(url: str) -> list[int]:
    """GET ``url`` from READERS threads released at the same instant; their statuses."""
    start = Barrier(READERS)

    def read(_):
        start.wait()
        with urlopen(url, timeout=60) as response:  # noqa: S310 - our own loopback server
            response.read()
            return response.status

    with ThreadPoolExecutor(max_workers=READERS) as pool:
        return list(pool.map(read, range(READERS)))


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database is one connection shared by the live server's threads; "
    "SQLite is tested on a database file below",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_concurrent_readers_add_exactly_fifty_views(live_server):
    """Each live-server thread has its own connection to the database server."""
    report = factories.make_published_report()

    statuses = read_concurrently(live_server.url + report.get_absolute_url())

    assert statuses == [200] * READERS
    report.refresh_from_db()
    assert report.view_count == READERS


@pytest.mark.skipif(connection.vendor != "sqlite", reason="copies the SQLite test database to a file")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_concurrent_readers_of_an_sqlite_file_add_exactly_fifty_views(tmp_path, static_root):
    """SQLite as the demo runs it: a database file, two gunicorn workers of eight threads, a connection each."""
    seed.load_seed_fixture()
    database = tmp_path / "portal.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(database) as copy:
        connection.connection.backup(copy)  # the migrated test database, seed report included, as a file
    env = {**production_env(tmp_path, f"sqlite:///{database}", static_root=static_root), "GUNICORN_THREADS": "8"}
    server = Gunicorn(env, tmp_path, workers=2)
    server.start(ready_path="/robots.txt")
    try:
        statuses = read_concurrently(server.base_url + SEED_ARTICLE)
    finally:
        server.stop()

    assert statuses == [200] * READERS
    with sqlite3.connect(database) as db:
        (count,) = db.execute("SELECT view_count FROM reports_report WHERE year = 2019").fetchone()
    assert count == READERS


@pytest.fixture
def view_buffer(settings, monkeypatch):
    """Views added up in this process and written on demand (the thread's interval is an hour)."""
    settings.VIEW_COUNT_FLUSH_MS = 3_600_000
    buffer = counter.ViewBuffer(settings.VIEW_COUNT_FLUSH_MS)
    monkeypatch.setattr(counter, "_buffer", buffer)
    yield buffer
    buffer.stop()
    buffer.pending.clear()  # not to be written at exit, into a test database gone by then


def shown_count(page) -> int:
    return int(re.search(r'<span class="view-count">(\d+)</span>', page.content.decode())[1])


def test_buffered_views_show_at_once_and_are_written_together(client, published_report, view_buffer):
    url = published_report.get_absolute_url()

    shown = [shown_count(client.get(url)) for _ in range(3)]
    published_report.refresh_from_db()
    written_before = published_report.view_count
    with CaptureQueriesContext(connection) as queries:
        assert view_buffer.write() is True
    published_report.refresh_from_db()

    assert shown == [1, 2, 3]
    assert written_before == 0
    assert published_report.view_count == 3
    assert len([query for query in queries if query["sql"].startswith("UPDATE")]) == 1
    assert shown_count(client.get(url)) == 4  # the written three, and this one
    assert client.head(url).status_code == 200
    assert view_buffer.pending == {published_report.pk: 1}


def test_buffered_views_the_database_refused_are_written_next_time(client, published_report, view_buffer):
    client.get(published_report.get_absolute_url())
    client.get(published_report.get_absolute_url())

    with mock.patch.object(Report.objects, "filter", side_effect=OperationalError("the server closed the connection")):
        with pytest.raises(OperationalError):
            view_buffer.write()
    assert view_buffer.write() is True
    published_report.refresh_from_db()

    assert published_report.view_count == 2
    assert view_buffer.write() is False


def test_views_the_database_refuses_at_exit_are_logged_as_lost(client, published_report, view_buffer, caplog):
    client.get(published_report.get_absolute_url())
    client.get(published_report.get_absolute_url())

    with mock.patch.object(Report.objects, "filter", side_effect=OperationalError("the server closed the connection")):
        view_buffer._write_at_exit()

    assert "view counts: 2 views not written, the database did not answer at exit" in caplog.text
