"""The admin's history screens: who may read them, that they change nothing, and that they stay safe."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.history import publication
from reports.history.hashchain import chained_hash
from reports.models import Item, Report, Revision, WorkflowEvent
from tests import factories

pytestmark = pytest.mark.django_db


def history_urls(report, number=1):
    return {
        "history": reverse("admin:reports_report_history", args=[report.pk]),
        "revision": reverse("admin:reports_report_history_revision", args=[report.pk, number]),
        "compare": reverse("admin:reports_report_history_compare", args=[report.pk]),
        "public_at": reverse("admin:reports_report_history_public_at", args=[report.pk]),
        "export": reverse("admin:reports_report_history_export", args=[report.pk]),
    }


def restore_url(report, number):
    return reverse("admin:reports_report_history_restore", args=[report.pk, number])


def edit_first_item(report, user, body, comment=""):
    item = report.sections.first().items.first()
    item.body = body
    item.save()
    return services.record_edit(report=report, user=user, comment=comment)


# --- Who may read ------------------------------------------------------------------------


@pytest.mark.parametrize("screen", ["history", "revision", "compare", "public_at", "export"])
def test_auditor_can_read_every_history_screen(client, auditor, published_report, screen):
    client.force_login(auditor)

    response = client.get(history_urls(published_report)[screen])

    assert response.status_code == 200


@pytest.mark.parametrize("screen", ["history", "revision", "compare", "public_at", "export"])
def test_clerk_can_read_the_history_of_own_organizations_reports(client, clerk, report, screen):
    client.force_login(clerk)

    assert client.get(history_urls(report)[screen]).status_code == 200


@pytest.mark.parametrize("screen", ["history", "revision", "compare", "public_at", "export", "restore"])
def test_staff_of_another_organization_get_404(client, other_clerk, report, screen):
    urls = {**history_urls(report), "restore": restore_url(report, 1)}
    other_editor = factories.make_editor(other_clerk.clerk_organizations.get())
    for user in (other_clerk, other_editor):
        client.force_login(user)

        assert client.get(urls[screen]).status_code == 404


def test_history_of_a_report_that_does_not_exist_is_404(client, auditor):
    client.force_login(auditor)

    assert client.get(reverse("admin:reports_report_history", args=[999999])).status_code == 404
    assert client.get("/admin/reports/report/not-a-number/history/").status_code == 404


def test_unknown_revision_number_is_404(client, auditor, report):
    client.force_login(auditor)

    assert client.get(history_urls(report, number=99)["revision"]).status_code == 404


# --- Auditors change nothing -------------------------------------------------------------


def test_auditor_cannot_restore(client, auditor, report):
    client.force_login(auditor)
    count = report.revisions.count()

    assert client.post(restore_url(report, 1)).status_code == 403
    assert client.get(restore_url(report, 1)).status_code == 403
    assert report.revisions.count() == count


def test_clerk_cannot_restore(client, clerk, report):
    client.force_login(clerk)

    assert client.post(restore_url(report, 1)).status_code == 403


def test_editor_restores_after_confirming(client, editor, report):
    client.force_login(editor)
    count = report.revisions.count()

    confirm = client.get(restore_url(report, 1))
    response = client.post(restore_url(report, 1))

    assert confirm.status_code == 200
    assert "确认恢复" in confirm.text
    assert response.status_code == 302
    latest = report.revisions.order_by("-number").first()
    assert (latest.number, latest.comment) == (count + 1, "恢复自第 1 版")


def test_a_refused_restore_shows_the_reason(client, editor, report):
    client.force_login(editor)
    latest = report.revisions.order_by("-number").first()

    response = client.post(restore_url(report, latest.number), follow=True)

    assert "无需恢复" in response.text
    assert report.revisions.count() == latest.number


def test_restore_button_is_shown_to_editors_only(client, editor, auditor, report):
    url = history_urls(report, number=1)["revision"]
    client.force_login(editor)
    assert restore_url(report, 1) in client.get(url).text
    client.force_login(auditor)
    assert restore_url(report, 1) not in client.get(url).text


@pytest.mark.parametrize("model", [Revision, WorkflowEvent])
def test_history_records_have_no_add_change_or_delete_in_the_admin(client, superuser, report, model):
    client.force_login(superuser)
    row = model.objects.filter(report=report).first()
    name = f"admin:reports_{model._meta.model_name}"

    assert client.get(reverse(f"{name}_changelist")).status_code == 200
    assert client.get(reverse(f"{name}_add")).status_code == 403
    assert client.get(reverse(f"{name}_delete", args=[row.pk])).status_code == 403
    change = client.post(reverse(f"{name}_change", args=[row.pk]), {"comment": "改写"})
    assert change.status_code == 403
    assert model.objects.get(pk=row.pk).comment == row.comment


def test_history_record_lists_show_only_reports_the_user_may_see(client, clerk, report, other_organization):
    other = factories.make_report(organization=other_organization)
    client.force_login(clerk)

    response = client.get(reverse("admin:reports_revision_changelist"))

    assert str(report) in response.text
    assert str(other) not in response.text


# --- What the screens show ---------------------------------------------------------------


def test_history_lists_revisions_and_events_with_short_hashes(client, auditor, published_report):
    client.force_login(auditor)

    response = client.get(history_urls(published_report)["history"])

    for revision in published_report.revisions.all():
        assert revision.hash[:12] in response.text
    for event in published_report.events.all():
        assert event.hash[:12] in response.text
    assert "当前公开" in response.text


def test_history_shows_when_a_scheduled_publication_takes_effect(client, auditor, report, clerk, editor):
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    go_live = timezone.now() + timedelta(days=2)
    services.publish(report=report, user=editor, at=go_live)
    client.force_login(auditor)

    text = client.get(history_urls(report)["history"]).text

    assert f"生效于 {timezone.localtime(go_live):%Y-%m-%d %H:%M:%S}" in text
    assert "定时发布" in text


def test_revision_screen_renders_that_revisions_content(client, auditor, report, clerk):
    old_body = report.sections.first().items.first().body
    edit_first_item(report, clerk, "<p>第三版的正文。</p>")
    client.force_login(auditor)

    second = client.get(history_urls(report, number=2)["revision"]).text
    third = client.get(history_urls(report, number=3)["revision"]).text

    assert old_body in second and "第三版的正文" not in second
    assert "<p>第三版的正文。</p>" in third


def test_compare_defaults_to_the_previous_revision(client, auditor, report, clerk):
    edit_first_item(report, clerk, "<p>改成新的正文。</p>")
    client.force_login(auditor)

    response = client.get(history_urls(report)["compare"])

    assert response.context["old"].number == 2 and response.context["new"].number == 3
    assert "<ins>" in response.text and "<del>" in response.text


def test_compare_with_bad_choices_shows_a_form_error(client, auditor, report):
    client.force_login(auditor)
    url = history_urls(report)["compare"]

    same = client.get(url, {"old": 1, "new": 1})
    unknown = client.get(url, {"old": 1, "new": 99})
    garbage = client.get(url, {"old": "x"})

    assert [same.status_code, unknown.status_code, garbage.status_code] == [200, 200, 200]
    assert "请选择两个不同的版本" in same.text
    assert "comparison" not in unknown.context and "comparison" not in garbage.context


def test_public_at_answers_with_the_revision_public_then(client, auditor, published_report):
    client.force_login(auditor)
    public = publication.public_revision_at(published_report)
    url = history_urls(published_report)["public_at"]

    now = client.get(url, {"date": "2100-01-01", "time": "00:00"})
    before = client.get(url, {"date": "2001-01-01"})
    bad = client.get(url, {"date": "不是日期"})

    assert now.context["revision"] == public
    assert f"公开的是第 {public.number} 版" in now.text
    assert before.context["revision"] is None and "没有公开的版本" in before.text
    assert bad.status_code == 200 and "asked" not in bad.context


def test_export_downloads_the_full_history_as_json(client, auditor, published_report):
    client.force_login(auditor)

    response = client.get(history_urls(published_report)["export"])

    assert response["Content-Disposition"] == f'attachment; filename="report-{published_report.pk}-history.json"'
    data = json.loads(response.content)
    assert len(data["revisions"]) == published_report.revisions.count()
    assert len(data["events"]) == published_report.events.count()
    for record in data["revisions"] + data["events"]:
        assert chained_hash(record["payload"], record["previous_hash"]) == record["hash"]


def test_history_list_of_a_report_with_200_revisions_takes_a_bounded_number_of_queries(
    client, auditor, report, clerk, django_assert_max_num_queries
):
    client.force_login(auditor)
    url = history_urls(report)["history"]
    client.get(url)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as two_revisions:
        client.get(url)
    item = report.sections.first().items.first()
    for n in range(198):
        Item.objects.filter(pk=item.pk).update(body=f"<p>第 {n} 次修改。</p>")
        services.record_edit(report=report, user=clerk)
    assert report.revisions.count() == 200

    with django_assert_max_num_queries(len(two_revisions)):
        response = client.get(url)

    assert response.status_code == 200
    assert "第 200 版" in response.text
    assert len(two_revisions) <= 20


# --- Stored XSS ---------------------------------------------------------------------------

HOSTILE_TITLE = '<script>alert("title")</script>'
HOSTILE_HEADING = "<img src=x onerror=alert(1)>"
HOSTILE_BODY = (
    '<p>正文<img src=x onerror=alert(2)></p><script>alert("body")</script><p>&lt;script&gt;alert(3)&lt;/script&gt;</p>'
)
HOSTILE_COMMENT = "<script>alert('comment')</script>"


@pytest.fixture
def hostile_report(report, clerk):
    """A report whose clerk got unsanitized markup into a revision, past the models' cleaning."""
    Report.objects.filter(pk=report.pk).update(title=HOSTILE_TITLE)
    item = report.sections.first().items.first()
    Item.objects.filter(pk=item.pk).update(heading=HOSTILE_HEADING, body=HOSTILE_BODY)
    report.refresh_from_db()
    revision = services.record_edit(report=report, user=clerk, comment=HOSTILE_COMMENT)
    assert revision.content["title"] == HOSTILE_TITLE
    assert revision.content["sections"][0]["items"][0]["body"] == HOSTILE_BODY
    return report


@pytest.mark.parametrize("screen", ["history", "revision", "compare", "public_at"])
def test_hostile_stored_content_is_escaped_on_every_history_screen(client, auditor, editor, hostile_report, screen):
    services.submit_for_review(report=hostile_report, user=hostile_report.created_by)
    services.approve(report=hostile_report, user=editor, secrecy_checked=True)
    services.publish(report=hostile_report, user=editor)
    latest = hostile_report.revisions.order_by("-number").first()
    client.force_login(auditor)
    params = {"date": "2100-01-01"} if screen == "public_at" else {}

    text = client.get(history_urls(hostile_report, number=latest.number)[screen], params).text

    assert "<script>alert" not in text
    assert "<img src=x" not in text
    if screen != "history":
        # The revisions keep the raw text; the working copy was cleaned again when it was saved.
        assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in text
        assert "&lt;img src=x onerror=alert(1)&gt;" in text
    if screen == "history":
        assert "&lt;script&gt;alert(&#x27;comment&#x27;)&lt;/script&gt;" in text


def test_hostile_title_is_escaped_in_breadcrumbs_and_lists(client, auditor, hostile_report):
    client.force_login(auditor)

    text = client.get(reverse("admin:reports_revision_changelist")).text

    assert "<script>alert" not in text
