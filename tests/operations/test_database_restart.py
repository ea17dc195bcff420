"""PostgreSQL restarting under load: readers get the 503 page during the outage and nothing else,
every worker recovers on its next request, and every article served was counted exactly once.

Needs the cluster of ``.ci/postgres.sh`` (``PGDATA_DIR``), which the test restarts with ``pg_ctl``.
"""

import os
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest
from django.db import connection

from tests import factories
from tests.servers import Gunicorn

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.exclusive,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs DATABASE_URL to point at PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

READERS = 6
REQUESTS_AFTER_RECOVERY = 150


@dataclass(frozen=True)
class Answer:
    started: float
    ended: float
    status: int
    retry_after: str | None


def pg_ctl_command() -> list[str]:
    """``pg_ctl`` as ``.ci/postgres.sh`` runs it: Debian's server tools, as the postgres user when root."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda path: int(path.parts[-3]))
    command = [str(found[-1]) if found else "pg_ctl"]
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture
def cluster() -> Path:
    """The data directory of the server the tests run against."""
    directory = os.environ.get("PGDATA_DIR")
    if not directory:
        if os.environ.get("CI") == "true":
            pytest.fail("PGDATA_DIR is not set: .ci/run exports it when it starts PostgreSQL")
        pytest.skip('needs PGDATA_DIR: start PostgreSQL with eval "$(bash .ci/postgres.sh start)"')
    data = Path(directory) / "data"
    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        assert Path(cursor.fetchone()[0]).resolve() == data.resolve(), "PGDATA_DIR is not DATABASE_URL's server"
    return data


def read(url: str) -> Answer:
    started = time.monotonic()
    try:
        with urlopen(url, timeout=30) as response:  # noqa: S310 - our own loopback server
            response.read()
            status, retry_after = response.status, None
    except HTTPError as error:
        error.read()
        status, retry_after = error.code, error.headers.get("Retry-After")
    return Answer(started, time.monotonic(), status, retry_after)


def read_until(url: str, stop: threading.Event, answers: list[Answer]) -> None:
    while not stop.is_set():
        answers.append(read(url))


def restart(cluster: Path) -> None:
    subprocess.run(
        [*pg_ctl_command(), "-D", str(cluster), "-m", "fast", "-w", "restart"], check=True, stdout=subprocess.DEVNULL
    )


def test_readers_see_only_503s_while_postgresql_restarts_and_every_view_served_is_counted(
    tmp_path, cluster, server_env
):
    report = factories.make_published_report()
    server = Gunicorn(server_env, tmp_path, workers=2)
    server.start(ready_path="/robots.txt")
    answers: list[Answer] = []
    stop = threading.Event()
    readers = [
        threading.Thread(target=read_until, args=(server.base_url + report.get_absolute_url(), stop, answers))
        for _ in range(READERS)
    ]
    try:
        for reader in readers:
            reader.start()
        while len(answers) < 50:
            time.sleep(0.01)
        outage_began = time.monotonic()
        restart(cluster)
        outage_ended = time.monotonic()
        before = len(answers)
        while len(answers) < before + REQUESTS_AFTER_RECOVERY:
            time.sleep(0.01)
        stop.set()
        for reader in readers:
            reader.join()
        # Workers idle through an outage find their connection dead on their next request.
        restart(cluster)
        with ThreadPoolExecutor(max_workers=READERS) as pool:
            after_idle_outage = list(pool.map(read, [server.base_url + report.get_absolute_url()] * 4 * READERS))
    finally:
        stop.set()
        server.stop()

    assert [a.status for a in after_idle_outage if a.status != 200] == []
    answers += after_idle_outage

    outside = [a for a in answers if a.ended < outage_began or a.started > outage_ended]
    during = [a for a in answers if a not in outside]
    assert [a.status for a in outside if a.status != 200] == []
    assert {(a.status, a.retry_after) for a in during if a.status != 200} <= {(503, "30")}
    # The test's own connection died with the server too.
    connection.close()
    report.refresh_from_db()
    assert report.view_count == sum(a.status == 200 for a in answers)
    log = server.error_log.read_text()
    assert "Traceback" not in log
    print(
        f"\noutage window {outage_ended - outage_began:.2f} s; {len(answers)} requests, {len(during)} overlapping it,"
        f" {sum(a.status == 503 for a in during)} answered 503; non-200 outside it: 0;"
        f" views counted {report.view_count} = 200 responses"
    )
