"""Search finds exactly the published reports a plain scan of their public text finds.

The plain scan is the definition: a report matches a query when every term of it (the query
folded and split on whitespace) occurs in the folded text of some passage of the report's
public revision. The index must agree, for phrases of any length, on generated text drawn
from a few characters so that phrases, near misses and scattered trigrams abound.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.models import Report, Revision
from reports.search import corpus, engine
from reports.search.engine import Filters
from reports.search.results import search
from reports.search.text import fold, passages
from tests.reports.search.corpus import publish_directly, section

pytestmark = pytest.mark.django_db

ALPHABET = "法治政府建设复议ａAb１1，"
texts = st.text(alphabet=ALPHABET + " \n", max_size=30)
phrases = st.text(alphabet=ALPHABET, min_size=1, max_size=8)


def plain_scan(query: str) -> set[int]:
    """Ids of the published reports whose public text holds every term of ``query``."""
    terms = fold(query).split()
    public = dict(Report.objects.published().values_list("public_revision_id", "pk"))
    found = set()
    for revision_id, content in Revision.objects.filter(pk__in=public).values_list("pk", "content"):
        folded = [fold(passage.text) for passage in passages(content)]
        if all(any(term in text for text in folded) for term in terms):
            found.add(public[revision_id])
    return found


def searched(query: str) -> tuple[set[int], int, bool]:
    """Ids of the reports the search lists (every page), its count, and whether the count is exact."""
    current = corpus.current()
    ids = {report.get_absolute_url(): report.pk for report in Report.objects.published().select_related("organization")}
    first = search(query, Filters(), 1, current)
    found = set()
    for number in first.page.paginator.page_range:
        found |= {ids[result.url] for result in search(query, Filters(), number, current).results}
    return found, first.count, first.exact


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reports=st.lists(st.lists(texts, min_size=1, max_size=4), min_size=1, max_size=3), query=phrases)
def test_search_finds_what_a_plain_scan_finds(reports, query):
    for bodies in reports:
        publish_directly(sections=[section("measures", bodies=bodies[:-1], item_headings=bodies[-1:])])

    expected = plain_scan(query)
    found, count, exact = searched(query)

    assert found == expected
    assert (count, exact) == (len(expected), True)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bodies=st.lists(texts, min_size=1, max_size=4), first=phrases, second=phrases)
def test_every_term_of_a_query_must_match(bodies, first, second):
    publish_directly(sections=[section("plans", bodies=bodies)])
    query = f"{first} {second}"
    assert searched(query)[0] == plain_scan(query)


def test_a_phrase_whose_trigrams_are_scattered_is_not_a_match():
    publish_directly(sections=[section("measures", bodies=["行政复。政复议"])])
    assert searched("行政复议") == (set(), 0, True)


def test_above_the_check_limit_the_count_is_an_upper_bound_and_the_list_is_still_exact(monkeypatch):
    monkeypatch.setattr(engine, "CHECK_LIMIT", 0)
    real = publish_directly(sections=[section("measures", bodies=["办理行政复议案件"])])
    publish_directly(sections=[section("measures", bodies=["行政复。政复议"])])

    found, count, exact = searched("行政复议")

    assert found == {real.pk}
    assert (count, exact) == (2, False)
