"""A rolling restart of two app servers under load loses no request and no view.

The client plays the load balancer as nginx does with ``proxy_next_upstream error``: a
request a server refused or reset before answering goes to the other server. gunicorn's
graceful stop (SIGTERM) must make that safe: it stops accepting, finishes the requests in
hand and answers them, so a request is either answered or never started, and each view
is counted exactly once.
"""

import http.client
import itertools
import threading
import time
from urllib.error import URLError
from urllib.request import urlopen

import pytest
from django.db import connection

from tests import factories
from tests.servers import Gunicorn

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two app servers share one PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

READERS = 4
# Steady load that leaves the machine room to start a server (CI's two cores run the readers too).
PAUSE = 0.005


class LoadBalancer:
    """Round robin over the servers; a refused or reset request goes to the next one, and a server
    that failed is left out for FAIL_TIMEOUT seconds (nginx: ``max_fails=1 fail_timeout=…``)."""

    FAIL_TIMEOUT = 0.5

    def __init__(self, servers: list[Gunicorn]):
        self.servers = servers
        self.turn = itertools.count()
        self.failed_at = {server.port: 0.0 for server in servers}
        self.retried = 0
        self.statuses: list[int] = []
        self.lock = threading.Lock()

    def pick(self) -> Gunicorn:
        for _ in self.servers:
            server = self.servers[next(self.turn) % len(self.servers)]
            if time.monotonic() - self.failed_at[server.port] > self.FAIL_TIMEOUT:
                return server
        return server

    def get(self, path: str) -> int:
        for attempt in range(50):
            server = self.pick()
            try:
                with urlopen(server.base_url + path, timeout=30) as response:  # noqa: S310 - our own loopback server
                    response.read()
                    return response.status
            except (ConnectionResetError, http.client.RemoteDisconnected):
                pass  # closed before any answer: the request was never started
            except URLError as error:
                if not isinstance(error.reason, ConnectionRefusedError):
                    raise
            with self.lock:
                self.retried += 1
                self.failed_at[server.port] = time.monotonic()
            time.sleep(0.01 * attempt)
        raise AssertionError("no server answered")

    def keep_reading(self, path: str, stop: threading.Event) -> None:
        while not stop.is_set():
            status = self.get(path)
            with self.lock:
                self.statuses.append(status)
            time.sleep(PAUSE)


def test_a_rolling_restart_of_two_servers_under_load_loses_no_request_and_no_view(tmp_path, server_env):
    report = factories.make_published_report()
    servers = [Gunicorn(server_env, tmp_path, workers=2) for _ in range(2)]
    balancer = LoadBalancer(servers)
    stop = threading.Event()
    readers = [
        threading.Thread(target=balancer.keep_reading, args=(report.get_absolute_url(), stop)) for _ in range(READERS)
    ]
    try:
        starting = [threading.Thread(target=server.start, kwargs={"ready_path": "/healthz"}) for server in servers]
        for thread in starting:
            thread.start()
        for thread in starting:
            thread.join()
        for reader in readers:
            reader.start()
        for server in servers:
            served_before = len(balancer.statuses)
            server.stop()  # SIGTERM: graceful
            server.start(ready_path="/healthz")
            while len(balancer.statuses) < served_before + 50:
                time.sleep(0.01)
    finally:
        stop.set()
        for reader in readers:
            reader.join()
        for server in servers:
            server.stop()

    assert set(balancer.statuses) == {200}
    report.refresh_from_db()
    assert report.view_count == len(balancer.statuses)
    print(f"\n{len(balancer.statuses)} requests, all 200, {balancer.retried} sent again to the other server")
