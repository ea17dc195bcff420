"""Search: titles and full text of published reports, Chinese substrings, safe highlighting."""

import pytest
from django.urls import reverse

from reports import services
from reports.models import Item
from tests import factories

pytestmark = pytest.mark.django_db


def search(client, q, **params):
    return client.get(reverse("reports:search"), {"q": q, **params})


@pytest.fixture
def legal_adviser_report(organization, clerk, editor):
    report = factories.make_report(organization=organization, author=clerk)
    item = Item.objects.filter(section__report=report).first()
    item.body = "<p>聘请4名律师组成社区法律顾问团，为街道重大决策提供法律咨询意见。</p>"
    item.save()
    services.record_edit(report=report, user=clerk)
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor)
    return report


def test_search_finds_a_chinese_substring_of_the_body(client, legal_adviser_report):
    response = search(client, "法律顾问")
    page = response.content.decode()
    assert response.status_code == 200
    assert "找到 1 篇" in page
    assert legal_adviser_report.get_absolute_url() in page
    assert "社区<mark>法律顾问</mark>团" in page


def test_search_finds_words_of_the_title(client, legal_adviser_report, organization):
    page = search(client, organization.name).content.decode()
    assert f"<mark>{organization.name}</mark>2019年度" in page


def test_every_word_must_match(client, legal_adviser_report):
    assert "找到 1 篇" in search(client, "律师  咨询").content.decode()
    assert "找到 0 篇" in search(client, "律师 高铁").content.decode()


def test_search_ignores_drafts_and_unpublished_edits(client, legal_adviser_report, clerk):
    factories.make_report(preamble="<p>草稿里的独有词语。</p>")
    legal_adviser_report.preamble = "<p>未发布修改里的独有词语。</p>"
    legal_adviser_report.save()
    services.record_edit(report=legal_adviser_report, user=clerk)

    assert "找到 0 篇" in search(client, "独有词语").content.decode()
    assert "找到 1 篇" in search(client, "法律顾问").content.decode()


def test_highlighting_escapes_the_text_and_the_query(client, organization, clerk, editor):
    report = factories.make_report(organization=organization, author=clerk)
    item = Item.objects.filter(section__report=report).first()
    item.body = "<p>比较 a&lt;b 与 &lt;script&gt;alert(1)&lt;/script&gt; 的写法。</p>"
    item.save()
    services.record_edit(report=report, user=clerk)
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor)

    page = search(client, "<script>").content.decode()

    assert "<script>alert" not in page
    assert "<mark>&lt;script&gt;</mark>alert(1)" in page
    assert 'value="&lt;script&gt;"' in page


def test_empty_search_shows_the_form_without_results(client, legal_adviser_report):
    page = search(client, "   ").content.decode()
    assert "请输入要查找的词语" in page
    assert "search-summary" not in page


@pytest.mark.parametrize("q", ["法" * 2000, "x" * 51])
def test_overlong_query_is_refused_with_a_message(client, legal_adviser_report, q):
    response = search(client, q)
    assert response.status_code == 200
    assert "搜索词太长" in response.content.decode()


@pytest.mark.parametrize("q", ["\x00", "%", "_", "'; drop table reports_report; --", "\u202e法"])
def test_odd_queries_are_harmless(client, legal_adviser_report, q):
    assert search(client, q).status_code == 200


@pytest.mark.parametrize("page", ["abc", "99999"])
def test_search_pages_that_do_not_exist_are_not_found(client, legal_adviser_report, page):
    assert search(client, "法律顾问", page=page).status_code == 404


def test_search_results_are_paginated_with_the_query_kept(client):
    organization = factories.make_organization()
    for year in range(2000, 2022):
        factories.make_published_report(organization=organization, year=year, items_per_section=1)

    first = search(client, "引言").content.decode()
    second = search(client, "引言", page="2").content.decode()

    assert "找到 22 篇" in first
    assert first.count('class="search-results__entry"') == 20
    assert second.count('class="search-results__entry"') == 2
    assert "page=2" in first and "q=%E5%BC%95%E8%A8%80" in first


def test_search_runs_a_fixed_number_of_queries(client, legal_adviser_report, django_assert_max_num_queries):
    search(client, "法治")  # reads the published reports of this public state, once per process
    # The public state, the postings, the check of a long phrase, the reports and passages shown, the log.
    with django_assert_max_num_queries(6):
        search(client, "法律顾问")
