"""Public pages kept whole (reports/public/): fast, and never stale — every change shows on the next request."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from reports import services
from reports.models import Report, public_state
from reports.public import caching
from reports.public.pages import page_facts
from tests import factories

pytestmark = pytest.mark.django_db


def republish(report: Report, *, preamble: str) -> None:
    """Edit the published report, then take the edit through review and publish it."""
    clerk = report.created_by
    editor = factories.make_editor(report.organization)
    Report.objects.filter(pk=report.pk).update(preamble=preamble)
    services.record_edit(report=report, user=clerk)
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor)


def withdraw(report: Report) -> None:
    services.withdraw(report=report, user=factories.make_editor(report.organization), reason="内容有误")


def test_article_is_rendered_once_then_replayed_with_each_views_count(client, published_report):
    url = published_report.get_absolute_url()
    with mock.patch("reports.public.views.articles.render_to_string", wraps=render_to_string) as render:
        pages = [client.get(url).content.decode() for _ in range(3)]
    assert render.call_count == 1
    assert [f'<span class="view-count">{n}</span>' in page for n, page in enumerate(pages, start=1)] == [True] * 3
    published_report.refresh_from_db()
    assert published_report.view_count == 3


def warm_article_queries() -> int:
    """A warm article view: the report with the public state and the counter, one statement on PostgreSQL."""
    return 1 if connection.vendor == "postgresql" else 2


def test_warm_article_view_runs_one_statement_on_postgresql_two_elsewhere_and_counts(
    client, published_report, django_assert_num_queries
):
    url = published_report.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(warm_article_queries()):
        page = client.get(url).content.decode()
    assert '<span class="view-count">2</span>' in page


def test_article_is_kept_when_staff_need_a_second_factor(client, published_report, settings, django_assert_num_queries):
    """The second-factor guard must not read the session of a reader who has none (it would vary by cookie)."""
    settings.REQUIRE_2FA_FOR_STAFF = True
    first = client.get(published_report.get_absolute_url())
    assert "cookie" not in first.get("Vary", "").lower()
    with django_assert_num_queries(warm_article_queries()):
        client.get(published_report.get_absolute_url())


def test_replayed_article_is_the_full_stacks_response_but_for_its_count(client, published_report):
    url = published_report.get_absolute_url()
    full_stack = client.get(url)
    replayed = client.get(url)

    assert replayed.content.decode() == full_stack.content.decode().replace(
        '<span class="view-count">1</span>', '<span class="view-count">2</span>'
    )
    ignored = {"Content-Length"}
    assert {k: v for k, v in replayed.headers.items() if k not in ignored} == {
        k: v for k, v in full_stack.headers.items() if k not in ignored
    }
    assert replayed["Content-Length"] == str(len(replayed.content))
    assert "Content-Security-Policy" in replayed.headers


def test_head_requests_are_not_counted(client, published_report):
    url = published_report.get_absolute_url()
    client.get(url)
    assert client.head(url).status_code == 200
    published_report.refresh_from_db()
    assert published_report.view_count == 1


def test_new_public_revision_shows_on_the_next_request(client, clock, published_report):
    client.get(published_report.get_absolute_url())
    clock.advance(minutes=5)
    republish(published_report, preamble="<p>更正后的导语。</p>")

    assert "更正后的导语" in client.get(published_report.get_absolute_url()).content.decode()


def test_withdrawal_shows_on_the_next_request_and_stops_counting(client, published_report):
    client.get(published_report.get_absolute_url())
    client.get(reverse("reports:home"))
    withdraw(published_report)

    assert client.get(published_report.get_absolute_url()).status_code == 410
    assert published_report.title not in client.get(reverse("reports:home")).content.decode()
    published_report.refresh_from_db()
    assert published_report.view_count == 1


def test_schedule_coming_due_shows_on_the_next_request_without_any_write(client, clock, organization):
    scheduled = factories.make_published_report(organization=organization, at=clock.now + timedelta(hours=1))
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert scheduled.title not in client.get(reverse("reports:home")).content.decode()

    clock.advance(hours=2)

    assert client.get(scheduled.get_absolute_url()).status_code == 200
    assert scheduled.title in client.get(reverse("reports:home")).content.decode()


def test_kept_article_links_another_year_published_after_it(client, organization, published_report):
    assert 'rel="next"' not in client.get(published_report.get_absolute_url()).content.decode()
    later = factories.make_published_report(organization=organization, year=published_report.year + 1)

    page = client.get(published_report.get_absolute_url()).content.decode()

    assert f'href="{later.get_absolute_url()}" rel="next"' in page


@pytest.mark.parametrize("page", ["reports:home", "reports:report_list", "reports:feed"])
def test_new_publication_shows_on_kept_lists(client, published_report, page):
    client.get(reverse(page))
    newcomer = factories.make_published_report(year=published_report.year + 1)
    assert newcomer.title in client.get(reverse(page)).content.decode()


def test_organization_rename_shows_on_kept_lists(client, published_report, organization):
    client.get(reverse("reports:home"))
    organization.name = "改名后的街道"
    organization.save()

    assert "改名后的街道" in client.get(reverse("reports:home")).content.decode()


def test_kept_search_finds_a_report_published_after_it(client, published_report):
    search = reverse("reports:search") + "?q=新发布的独有词语"
    newcomer = factories.make_report(year=published_report.year + 1, preamble="<p>新发布的独有词语。</p>")
    assert newcomer.title not in client.get(search).content.decode()
    editor = factories.make_editor(newcomer.organization)
    services.submit_for_review(report=newcomer, user=newcomer.created_by)
    services.approve(report=newcomer, user=editor, secrecy_checked=True)
    services.publish(report=newcomer, user=editor)

    assert newcomer.title in client.get(search).content.decode()


def test_each_text_size_gets_its_own_kept_page(client, published_report):
    client.get(published_report.get_absolute_url())
    client.cookies["font_size"] = "large"

    assert 'class="font-large"' in client.get(published_report.get_absolute_url()).content.decode()


def test_article_with_a_query_string_is_its_own_page_and_counted(client, published_report):
    client.get(published_report.get_absolute_url())

    page = client.get(published_report.get_absolute_url() + "?from=wechat").content.decode()

    assert "from=wechat" in page  # the text-size form returns the reader to this very address
    assert '<span class="view-count">2</span>' in page


def test_kept_home_page_is_the_full_stacks_response_in_one_query(client, published_report, django_assert_num_queries):
    home = reverse("reports:home")
    full_stack = client.get(home)
    with django_assert_num_queries(1):  # the public state, nothing else
        kept = client.get(home)

    assert kept.content == full_stack.content
    assert dict(kept.headers.items()) == dict(full_stack.headers.items())


def test_revision_body_is_rendered_once():
    render = mock.Mock(return_value="<p>正文</p>")
    assert caching.cached_body(987654, render) == "<p>正文</p>"
    assert caching.cached_body(987654, render) == "<p>正文</p>"
    render.assert_called_once()


@pytest.mark.parametrize(
    "personal",
    [
        pytest.param(lambda response: response.set_cookie("personal", "1"), id="sets a cookie"),
        pytest.param(lambda response: response.headers.__setitem__("Vary", "Cookie"), id="varies by cookie"),
        pytest.param(lambda response: setattr(response, "status_code", 404), id="not a 200"),
    ],
)
def test_a_response_that_is_not_the_same_for_everyone_is_not_kept(personal):
    request = RequestFactory().get("/")
    response = HttpResponse("<p>页面</p>")
    personal(response)
    caching.keep_page(("facts",), request, response)
    assert caching.kept_page(("facts",)) is None


def test_public_state_moves_with_publications_and_with_a_schedule_coming_due(clock, organization):
    before = public_state()
    factories.make_published_report(organization=organization, at=clock.now + timedelta(hours=1))
    scheduled = public_state()
    clock.advance(hours=2)
    due = public_state()
    assert len({before, scheduled, due}) == 3


def test_public_pages_are_kept_when_staff_need_a_second_factor(client, published_report, settings):
    """As in production: the second-factor guard must not read an anonymous reader's session."""
    settings.REQUIRE_2FA_FOR_STAFF = True
    response = client.get(reverse("reports:home"))
    assert "Cookie" not in response.headers.get("Vary", "")
    assert caching.kept_page(page_facts(response.wsgi_request, public_state())) is not None
