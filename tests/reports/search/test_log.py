"""The search log: each phrase's searches and results by day, nothing about who searched."""

import pytest
from django.urls import reverse

from reports.models import SearchLogEntry
from tests.reports.search.corpus import publish_directly, section

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    return publish_directly(sections=[section("measures", bodies=["聘请法律顾问参与重大决策。"])])


def search(client, **params):
    assert client.get(reverse("reports:search"), params, REMOTE_ADDR="203.0.113.7").status_code == 200


def logged() -> list[tuple]:
    return list(SearchLogEntry.objects.order_by("phrase").values_list("day", "phrase", "searches", "results"))


def test_each_search_is_counted_with_its_results_and_nothing_else(client, clock, published):
    search(client, q="法律顾问")
    search(client, q=" 法律顾问 ")
    search(client, q="量子计算")

    today = clock.now.date()
    assert logged() == [(today, "法律顾问", 2, 1), (today, "量子计算", 1, 0)]
    stored = " ".join(str(value) for row in SearchLogEntry.objects.values() for value in row.values())
    assert "203.0.113.7" not in stored


def test_a_search_answered_from_a_kept_page_still_counts(client, published):
    for _ in range(3):
        search(client, q="法律顾问")
    assert logged()[0][2:] == (3, 1)


def test_paging_and_narrowing_a_search_are_not_new_searches(client, published):
    search(client, q="法律顾问")
    search(client, q="法律顾问", year="2019")
    search(client, q="法律顾问", page="1")
    assert logged()[0][2] == 1


def test_searches_are_counted_per_day(client, clock, published):
    search(client, q="法律顾问")
    clock.advance(days=1)
    search(client, q="法律顾问")  # the page kept yesterday answers; the count it showed is today's too
    assert [row[2:] for row in logged()] == [(1, 1), (1, 1)]
