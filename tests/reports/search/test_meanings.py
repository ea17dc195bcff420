"""What residents mean: traditional characters, pinyin, editors' synonyms, and a suggestion when nothing matches."""

import re

import pytest
from django.urls import reverse

from reports.models import SynonymGroup
from tests.reports.search.corpus import publish_directly, section

pytestmark = pytest.mark.django_db


def search(client, q, **params):
    response = client.get(reverse("reports:search"), {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def reviews():
    """A unit whose report speaks of 行政复议 and 普法, and one whose report speaks of 法律顾问."""
    first = publish_directly(
        sections=[section("measures", item_headings=["推进行政复议规范化"], bodies=["开展普法宣传活动十余场。"])]
    )
    second = publish_directly(sections=[section("measures", bodies=["聘请法律顾问参与重大决策。"])])
    return first, second


@pytest.mark.parametrize("typed", ["復議", "行政復議", "普法宣傳"])
def test_traditional_characters_find_simplified_text(client, reviews, typed):
    page = search(client, typed)
    assert reviews[0].get_absolute_url() in page
    assert "（简体）" in page


@pytest.mark.parametrize(("typed", "meant"), [("fuyi", "复议"), ("fy", "复议"), ("pufa", "普法"), ("flgw", "法律顾问")])
def test_pinyin_full_or_initials_finds_the_words_it_spells(client, reviews, typed, meant):
    page = search(client, typed)
    assert f'<span class="search-note__phrase">{meant}</span>（拼音）' in page
    assert f"<mark>{meant}</mark>" in page


def test_pinyin_of_a_heading_phrase_finds_its_report(client, reviews):
    page = search(client, "tjxzfygfh")  # 推进行政复议规范化, from the report's own heading
    assert reviews[0].get_absolute_url() in page


def test_synonyms_an_editor_adds_find_each_other(client, reviews):
    before = search(client, "法治宣传")
    SynonymGroup.objects.create(terms="普法，法治宣传")
    after = search(client, "法治宣传")

    assert reviews[0].get_absolute_url() not in before
    assert reviews[0].get_absolute_url() in after
    assert "<mark>普法</mark>" in after
    assert "（同义词）" in after


def test_a_synonym_removed_stops_being_searched(client, reviews):
    group = SynonymGroup.objects.create(terms="普法，法治宣传")
    assert reviews[0].get_absolute_url() in search(client, "法治宣传")
    SynonymGroup.objects.filter(pk=group.pk).delete()
    assert reviews[0].get_absolute_url() not in search(client, "法治宣传")


@pytest.mark.parametrize(("typed", "suggested"), [("法律故问", "法律顾问"), ("普发", "普法")])
def test_a_near_miss_suggests_what_finds_reports(client, reviews, typed, suggested):
    page = search(client, typed)
    assert "找到 0 篇" in page
    assert re.search(f'您是不是要找：<a href="[^"]+">{suggested}</a>', page)


def test_terms_that_find_nothing_together_suggest_the_one_that_finds_most(client, reviews):
    page = search(client, "普法 法律顾问")
    assert "找到 0 篇" in page
    assert "您是不是要找" in page


def test_nothing_is_suggested_for_a_phrase_like_nothing_published(client, reviews):
    assert "您是不是要找" not in search(client, "量子计算")
