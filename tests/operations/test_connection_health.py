"""The health check before a request's first query: a dead connection is replaced, a live one costs no round trip."""

import time

import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL to point at PostgreSQL"),
    pytest.mark.django_db,
]


def test_a_live_connection_is_usable_without_sending_a_statement(monkeypatch):
    connection.ensure_connection()

    def no_statements(*args, **kwargs):
        raise AssertionError("the health check sent a statement")

    monkeypatch.setattr(connection.connection, "cursor", no_statements)
    monkeypatch.setattr(connection.connection, "execute", no_statements)

    assert connection.is_usable()


def test_a_connection_whose_server_process_ended_is_unusable():
    other = connections.create_connection("default")
    other.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [other.connection.info.backend_pid])
    deadline = time.monotonic() + 5
    while other.is_usable() and time.monotonic() < deadline:
        time.sleep(0.05)  # the server closes the socket just after answering

    assert not other.is_usable()
    other.close()
