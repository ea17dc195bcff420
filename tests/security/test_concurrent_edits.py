"""Two editors, one report: the second save is refused, and a failed save leaves the last good version whole."""

import pytest
from django.test import Client

from reports.models import Item, Report, Section
from tests import factories
from tests.factories import change_url, page_form_data


@pytest.fixture
def two_editors(organization, clerk):
    """A clerk and an editor of the same organization, each with their own browser session."""
    sessions = []
    for user in (clerk, factories.make_editor(organization)):
        client = Client()
        client.force_login(user)
        sessions.append(client)
    return sessions


def contents(report: Report) -> dict:
    report.refresh_from_db()
    return {
        "title": report.title,
        "version": report.version,
        "revisions": report.revisions.count(),
        "sections": list(Section.objects.filter(report=report).values_list("heading", "intro").order_by("pk")),
        "items": list(Item.objects.filter(section__report=report).values_list("heading", "body").order_by("pk")),
    }


@pytest.mark.django_db
def test_the_second_of_two_concurrent_saves_is_refused_and_the_first_stays(report, two_editors):
    first, second = two_editors
    first_form = page_form_data(first.get(change_url(report)))
    second_form = page_form_data(second.get(change_url(report)))

    saved = first.post(
        change_url(report), first_form | {"title": "起草人改的标题", "sections-0-heading": "起草人的小标题"}
    )
    assert saved.status_code == 302
    refused = second.post(change_url(report), second_form | {"title": "审核人改的标题"})

    assert refused.status_code == 200
    assert "已被他人修改" in refused.content.decode()
    report.refresh_from_db()
    assert report.title == "起草人改的标题"
    assert Section.objects.filter(report=report, heading="起草人的小标题").exists()


@pytest.mark.django_db
def test_after_reloading_the_second_editor_can_save(report, two_editors):
    first, second = two_editors
    second.get(change_url(report))
    first.post(change_url(report), page_form_data(first.get(change_url(report))) | {"title": "第一次"})
    reloaded = page_form_data(second.get(change_url(report)))
    assert second.post(change_url(report), reloaded | {"title": "第二次"}).status_code == 302
    report.refresh_from_db()
    assert report.title == "第二次"


@pytest.mark.django_db
def test_a_failure_in_the_middle_of_saving_leaves_the_previous_version_intact(report, editor, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    data = page_form_data(client.get(change_url(report)))
    item_fields = sorted(name for name in data if name.endswith("-heading") and "-items-" in name)
    assert len(item_fields) >= 3
    changed = data | {"title": "半途失败的标题", "sections-0-intro": "<p>半途失败</p>"}
    changed |= {name: f"半途失败{n}" for n, name in enumerate(item_fields)}
    before = contents(report)

    real_save = Item.save
    calls = []

    def failing_save(self, *args, **kwargs):
        calls.append(self.pk)
        if len(calls) == 3:
            raise OSError("disk full while saving the third item")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Item, "save", failing_save)
    response = client.post(change_url(report), changed)

    assert len(calls) == 3, "the save reached the third item"
    assert response.status_code == 500
    assert "半途失败" not in response.content.decode()
    assert contents(report) == before
