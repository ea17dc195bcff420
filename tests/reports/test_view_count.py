"""The view count under concurrent readers: every request counted exactly once, on SQLite and PostgreSQL."""

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from urllib.request import urlopen

import pytest
from django.db import connection

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
