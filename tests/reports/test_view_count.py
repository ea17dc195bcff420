"""The view count under concurrent readers: every request counted exactly once."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from urllib.request import urlopen

import pytest

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

READERS = 50


def test_fifty_concurrent_readers_add_exactly_fifty_views(live_server):
    report = factories.make_published_report()
    url = live_server.url + report.get_absolute_url()
    start = Barrier(READERS)

    def read(_):
        start.wait()  # all readers go at once
        with urlopen(url, timeout=60) as response:  # noqa: S310 - the live test server
            return response.status

    with ThreadPoolExecutor(max_workers=READERS) as pool:
        statuses = list(pool.map(read, range(READERS)))

    assert statuses == [200] * READERS
    report.refresh_from_db()
    assert report.view_count == READERS
