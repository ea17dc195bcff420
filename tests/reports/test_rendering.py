"""Cached public pages: fast, and never stale — every change shows on the very next request."""

from datetime import timedelta
from unittest import mock

import pytest
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse

from reports import rendering, services
from reports.compiled import SENTINEL_TIME, CompiledQuery
from reports.models import Report
from tests import factories

pytestmark = pytest.mark.django_db


def republish(report: Report, *, preamble: str) -> None:
    """Edit the published report, then take the edit through review and publish it."""
    clerk = report.created_by
    editor = factories.make_editor(report.organization)
    report.preamble = preamble
    report.save()
    services.record_edit(report=report, user=clerk)
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor)


def withdraw(report: Report) -> None:
    editor = factories.make_editor(report.organization)
    services.withdraw(report=report, user=editor, reason="内容有误")


def test_article_is_rendered_once_then_served_from_the_cache_with_each_views_count(client, published_report):
    with mock.patch("reports.views.articles.render_to_string", wraps=render_to_string) as render:
        pages = [client.get(published_report.get_absolute_url()).content.decode()]
        renders_of_first_view = render.call_count
        pages += [client.get(published_report.get_absolute_url()).content.decode() for _ in range(2)]
    assert render.call_count == renders_of_first_view
    assert [f'<span class="view-count">{n}</span>' in page for n, page in enumerate(pages, start=1)] == [True] * 3
    published_report.refresh_from_db()
    assert published_report.view_count == 3


def test_warm_article_view_runs_two_queries(client, published_report, django_assert_num_queries):
    client.get(published_report.get_absolute_url())
    with django_assert_num_queries(2):
        response = client.get(published_report.get_absolute_url())
    assert response.status_code == 200


def test_new_public_revision_shows_on_the_next_request(client, clock, published_report):
    client.get(published_report.get_absolute_url())
    clock.advance(minutes=5)
    republish(published_report, preamble="<p>更正后的导语。</p>")

    page = client.get(published_report.get_absolute_url()).content.decode()

    assert "更正后的导语" in page


def test_withdrawal_shows_on_the_next_request(client, published_report):
    client.get(published_report.get_absolute_url())
    client.get(reverse("reports:home"))
    withdraw(published_report)

    assert client.get(published_report.get_absolute_url()).status_code == 410
    assert published_report.title not in client.get(reverse("reports:home")).content.decode()


def test_schedule_passing_shows_on_the_next_request_without_any_write(client, clock, organization):
    scheduled = factories.make_published_report(organization=organization, at=clock.now + timedelta(hours=1))
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert scheduled.title not in client.get(reverse("reports:home")).content.decode()

    clock.advance(hours=2)

    assert client.get(scheduled.get_absolute_url()).status_code == 200
    assert scheduled.title in client.get(reverse("reports:home")).content.decode()


def test_cached_article_links_a_neighbour_published_after_it(client, organization, published_report):
    assert 'rel="next"' not in client.get(published_report.get_absolute_url()).content.decode()
    later = factories.make_published_report(organization=organization, year=published_report.year + 1)

    page = client.get(published_report.get_absolute_url()).content.decode()

    assert f'href="{later.get_absolute_url()}" rel="next"' in page


def test_new_publication_shows_on_cached_home_and_list(client, published_report):
    client.get(reverse("reports:home"))
    client.get(reverse("reports:report_list"))
    newcomer = factories.make_published_report(year=published_report.year + 1)

    assert newcomer.title in client.get(reverse("reports:home")).content.decode()
    assert newcomer.title in client.get(reverse("reports:report_list")).content.decode()


def test_organization_rename_shows_on_cached_lists(client, published_report, organization):
    client.get(reverse("reports:home"))
    organization.name = "改名后的街道"
    organization.save()

    assert "改名后的街道" in client.get(reverse("reports:home")).content.decode()


def test_each_text_size_gets_its_own_cached_page(client, published_report):
    client.get(published_report.get_absolute_url())
    client.cookies["font_size"] = "large"

    page = client.get(published_report.get_absolute_url()).content.decode()

    assert 'class="font-large"' in page


def test_article_with_a_query_string_is_rendered_afresh_and_counted(client, published_report):
    client.get(published_report.get_absolute_url())

    page = client.get(published_report.get_absolute_url() + "?from=wechat").content.decode()

    assert "from=wechat" in page  # the text-size form returns the reader to this very address
    assert '<span class="view-count">2</span>' in page


def test_revision_body_is_rendered_once():
    render = mock.Mock(return_value="<p>正文</p>")
    assert rendering.cached_body(987654, render) == "<p>正文</p>"
    assert rendering.cached_body(987654, render) == "<p>正文</p>"
    assert render.call_count == 1


def test_page_without_exactly_one_view_count_mark_is_not_cached():
    assert rendering.cached_page(("no mark",), lambda: "<p>浏览次数：</p>") is None
    twice = f"{rendering.VIEW_COUNT_MARK}{rendering.VIEW_COUNT_MARK}"
    assert rendering.cached_page(("twice",), lambda: twice) is None


def test_public_state_changes_when_a_schedule_passes(clock, organization):
    factories.make_published_report(organization=organization, at=clock.now + timedelta(hours=1))
    before = rendering.public_state()
    clock.advance(hours=2)
    assert rendering.public_state() != before


def test_compiled_query_refuses_a_sentinel_it_cannot_find():
    query = CompiledQuery(lambda *, year, at: Report.objects.filter(year=2019), year=31337, at=SENTINEL_TIME)
    with pytest.raises(ValueError, match=r"\['at', 'year'\]"):
        query.rows(year=2019, at=SENTINEL_TIME)


def test_compiled_query_binds_its_values_on_every_call(published_report):
    query = CompiledQuery(
        lambda *, year, at: Report.objects.published(at).filter(year=year).values("id"), year=31337, at=SENTINEL_TIME
    )
    at = published_report.first_published_at + timedelta(seconds=1)
    assert query.rows(year=published_report.year, at=at) == [{"id": published_report.pk}]
    assert query.rows(year=published_report.year + 1, at=at) == []
    assert query.rows(year=published_report.year, at=at - timedelta(hours=1)) == []


# --- Articles served by PublicPagesMiddleware ------------------------------------------------------
def test_kept_article_response_matches_the_full_stacks_but_for_its_count(client, published_report):
    url = published_report.get_absolute_url()
    first = client.get(url)  # renders the page
    second = client.get(url)  # keeps the headers
    original, returned = rendering.kept_response, []

    def spy(facts):
        returned.append(original(facts))
        return returned[-1]

    with mock.patch("reports.middleware.rendering.kept_response", side_effect=spy):
        third = client.get(url)

    assert returned and returned[0] is not None
    assert third.content.decode() == second.content.decode().replace(
        '<span class="view-count">2</span>', '<span class="view-count">3</span>'
    )
    ignored = {"Content-Length"}
    assert {k: v for k, v in third.headers.items() if k not in ignored} == {
        k: v for k, v in second.headers.items() if k not in ignored
    }
    assert third["Content-Length"] == str(len(third.content))
    assert "Content-Security-Policy" in third.headers
    assert first.status_code == second.status_code == third.status_code == 200


def test_kept_article_is_counted_and_stays_within_two_queries(client, published_report, django_assert_num_queries):
    for _ in range(2):
        client.get(published_report.get_absolute_url())
    with django_assert_num_queries(2):
        page = client.get(published_report.get_absolute_url()).content.decode()
    assert '<span class="view-count">3</span>' in page
    published_report.refresh_from_db()
    assert published_report.view_count == 3


def test_kept_article_gives_way_to_the_full_stack_once_withdrawn(client, published_report):
    for _ in range(2):
        client.get(published_report.get_absolute_url())
    withdraw(published_report)

    assert client.get(published_report.get_absolute_url()).status_code == 410
    published_report.refresh_from_db()
    assert published_report.view_count == 2


def test_response_that_sets_a_cookie_is_not_kept():
    facts = ("a page", "for the test")
    rendering.cached_page(facts, lambda: f"<p>浏览次数：{rendering.VIEW_COUNT_MARK}</p>")
    personal = HttpResponse("<p>浏览次数：1</p>")
    personal.set_cookie("personal", "1")

    rendering.keep_response(facts, personal)
    assert rendering.kept_response(facts) is None

    rendering.keep_response(facts, HttpResponse("<p>浏览次数：1</p>"))
    assert rendering.kept_response(facts).with_view_count(7).content.decode() == "<p>浏览次数：7</p>"


def test_cached_search_finds_a_report_published_after_it(client, published_report):
    search = reverse("reports:search") + "?q=新发布的独有词语"
    newcomer = factories.make_report(year=published_report.year + 1, preamble="<p>新发布的独有词语。</p>")
    assert newcomer.title not in client.get(search).content.decode()
    editor = factories.make_editor(newcomer.organization)
    services.submit_for_review(report=newcomer, user=newcomer.created_by)
    services.approve(report=newcomer, user=editor, secrecy_checked=True)
    services.publish(report=newcomer, user=editor)

    assert newcomer.title in client.get(search).content.decode()


# --- Lists served by PublicPagesMiddleware -----------------------------------------------------------
def test_kept_home_page_matches_the_full_stacks_response(client, published_report, django_assert_num_queries):
    home = reverse("reports:home")
    client.get(home)  # rendered, then kept
    full_stack = client.get(home)
    with django_assert_num_queries(1):  # the public state, nothing else
        kept = client.get(home)

    assert kept.content == full_stack.content
    assert dict(kept.headers.items()) == dict(full_stack.headers.items())


def test_kept_list_page_gives_way_to_a_new_publication(client, published_report):
    listing = reverse("reports:report_list") + f"?year={published_report.year + 1}"
    for _ in range(2):
        client.get(listing)
    newcomer = factories.make_published_report(year=published_report.year + 1)

    assert newcomer.title in client.get(listing).content.decode()
