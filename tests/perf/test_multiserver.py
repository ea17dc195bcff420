"""Two app servers on one PostgreSQL: each sees every change on its next request, and views add up exactly.

Runs two gunicorn instances in production mode (DEBUG off, the real middleware stack,
per-process caches) against the test database, as two machines behind a load balancer
would run against one database server.
"""

import re
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from reports import services
from tests import factories
from tests.servers import Gunicorn, database_url_of_tests, production_env

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs DATABASE_URL to point at PostgreSQL",
    ),
    # serialized_rollback: the flush after each test would otherwise drop the roles the migrations made.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VIEWS = 40
SCHEDULE_AHEAD = timedelta(seconds=4)


@pytest.fixture
def servers(transactional_db, tmp_path, static_root):
    env = production_env(tmp_path, database_url_of_tests(), static_root=static_root)
    started = []
    try:
        for _ in range(2):
            server = Gunicorn(env, tmp_path, workers=2)
            server.start(ready_path="/robots.txt")
            started.append(server)
        yield started
    finally:
        for server in started:
            server.stop()


def get(server: Gunicorn, path: str) -> tuple[int, str]:
    try:
        with urlopen(server.base_url + path, timeout=30) as response:  # noqa: S310 - our own loopback server
            return response.status, response.read().decode()
    except HTTPError as error:
        return error.code, error.read().decode()


def editor_for(report):
    return factories.make_editor(report.organization)


def test_every_server_sees_every_change_on_its_next_request(servers):
    report = factories.make_published_report(preamble="<p>初版导语。</p>")
    url, home = report.get_absolute_url(), reverse("reports:home")
    for server in servers:
        assert get(server, url)[0] == 200
        assert report.title in get(server, home)[1]  # both servers now hold cached pages

    # A new public revision.
    report.preamble = "<p>更正后的导语。</p>"
    report.save()
    services.record_edit(report=report, user=report.created_by)
    services.submit_for_review(report=report, user=report.created_by)
    services.approve(report=report, user=editor_for(report), secrecy_checked=True)
    services.publish(report=report, user=editor_for(report))
    for server in servers:
        page = get(server, url)[1]
        assert "更正后的导语" in page
        assert "初版导语" not in page

    # A schedule passing, with no write at that moment.
    scheduled = factories.make_report(year=2020)
    services.submit_for_review(report=scheduled, user=scheduled.created_by)
    services.approve(report=scheduled, user=editor_for(scheduled), secrecy_checked=True)
    services.publish(report=scheduled, user=editor_for(scheduled), at=timezone.now() + SCHEDULE_AHEAD)
    for server in servers:
        assert get(server, scheduled.get_absolute_url())[0] == 404
        assert scheduled.title not in get(server, home)[1]
    deadline = time.monotonic() + 20
    while get(servers[0], scheduled.get_absolute_url())[0] != 200:
        assert time.monotonic() < deadline, "the scheduled report never went live"
        time.sleep(0.2)
    assert get(servers[1], scheduled.get_absolute_url())[0] == 200
    for server in servers:
        assert scheduled.title in get(server, home)[1]

    # A withdrawal.
    services.withdraw(report=report, user=editor_for(report), reason="内容有误")
    for server in servers:
        assert get(server, url)[0] == 410
        assert report.title not in get(server, home)[1]


def test_views_split_across_servers_are_all_written_within_the_flush_interval(servers):
    """Each process adds its views up and writes them every VIEW_COUNT_FLUSH_MS (1 s by default on PostgreSQL)."""
    report = factories.make_published_report()
    url = report.get_absolute_url()

    def view(number):
        return get(servers[number % 2], url)[0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(view, range(VIEWS)))
    written = written_count(report, expected=VIEWS)
    shown = [get(server, url)[1] for server in servers]

    assert statuses == [200] * VIEWS
    assert written == VIEWS
    # The written count and the server's own views not yet written: the other server's last
    # view shows there once written.
    assert f'<span class="view-count">{VIEWS + 1}</span>' in shown[0]
    assert re.search(rf'<span class="view-count">({VIEWS + 1}|{VIEWS + 2})</span>', shown[1])
    assert written_count(report, expected=VIEWS + 2) == VIEWS + 2


def written_count(report, *, expected: int, within: float = 5.0) -> int:
    """The report's written view count, once it is ``expected`` or ``within`` seconds have passed."""
    deadline = time.monotonic() + within
    while True:
        report.refresh_from_db()
        if report.view_count == expected or time.monotonic() > deadline:
            return report.view_count
        time.sleep(0.05)


@pytest.mark.redis
@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL to point at a redis-server")
def test_servers_share_rendered_revisions_through_redis(servers):
    """With REDIS_URL the servers share one cache: a revision's body is rendered once for all of them."""
    import redis

    store = redis.Redis.from_url(settings.REDIS_URL)
    store.flushdb()
    report = factories.make_published_report()
    for server in servers:
        assert get(server, report.get_absolute_url())[0] == 200

    assert len(store.keys("*public:body:*")) == 1
    assert len(store.keys("*public:page:*")) == 2  # one per server: each answers under its own host
