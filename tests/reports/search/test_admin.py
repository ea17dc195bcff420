"""Editors keep the synonyms and read the search log in the admin; auditors read both; clerks neither."""

from datetime import date

import pytest
from django.urls import reverse

from reports.models import PublicEdition, SearchLogEntry, SynonymGroup, public_state
from tests import factories

pytestmark = pytest.mark.django_db


def add_synonyms(client, terms: str):
    return client.post(reverse("admin:reports_synonymgroup_add"), {"terms": terms, "note": ""})


def test_an_editor_adds_synonyms_and_search_pages_change_with_them(client, editor):
    client.force_login(editor)
    before = public_state()

    response = add_synonyms(client, "复议、行政复议\n复议")

    assert response.status_code == 302
    assert [group.term_list() for group in SynonymGroup.objects.all()] == [["复议", "行政复议"]]
    assert public_state() != before


@pytest.mark.parametrize("terms", ["复议", "复议，复议", "复议，" + "长" * 51])
def test_a_synonym_group_needs_two_different_words_of_reasonable_length(client, editor, terms):
    client.force_login(editor)
    response = add_synonyms(client, terms)
    assert response.status_code == 200
    assert not SynonymGroup.objects.exists()


def test_auditors_read_synonyms_but_cannot_change_them(client, auditor):
    group = SynonymGroup.objects.create(terms="普法，法治宣传")
    client.force_login(auditor)

    assert client.get(reverse("admin:reports_synonymgroup_changelist")).status_code == 200
    assert add_synonyms(client, "复议，行政复议").status_code == 403
    change = reverse("admin:reports_synonymgroup_change", args=[group.pk])
    client.post(change, {"terms": "普法，宣传", "note": ""})
    group.refresh_from_db()
    assert group.terms == "普法，法治宣传"


def test_clerks_see_neither_synonyms_nor_the_search_log(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("admin:reports_synonymgroup_changelist")).status_code == 403
    assert client.get(reverse("admin:reports_searchlogentry_changelist")).status_code == 403


def test_the_log_shows_editors_what_found_nothing_by_day(client, editor):
    SearchLogEntry.objects.create(day=date(2020, 5, 27), phrase="法律顾问", results=3, searches=5)
    SearchLogEntry.objects.create(day=date(2020, 5, 27), phrase="量子计算", results=0, searches=2)
    client.force_login(editor)

    page = client.get(reverse("admin:reports_searchlogentry_changelist"), {"found": "none"}).content.decode()

    assert "量子计算" in page
    assert "法律顾问" not in page


def test_deleting_synonyms_in_the_list_also_changes_search_pages(client, editor):
    group = SynonymGroup.objects.create(terms="普法，法治宣传")
    client.force_login(editor)
    before = PublicEdition.objects.get().number

    client.post(
        reverse("admin:reports_synonymgroup_changelist"),
        {"action": "delete_selected", "_selected_action": [group.pk], "post": "yes"},
    )

    assert not SynonymGroup.objects.exists()
    assert PublicEdition.objects.get().number > before


def test_superusers_may_do_everything_editors_may(client):
    client.force_login(factories.make_user(is_superuser=True))
    assert add_synonyms(client, "复议，行政复议").status_code == 302
