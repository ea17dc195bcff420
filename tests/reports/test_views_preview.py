"""Staff preview: the working copy in the article's design, for those who may see the report."""

import pytest
from django.urls import reverse

from reports import services
from tests import factories

pytestmark = pytest.mark.django_db


def preview_url(report):
    return reverse("reports:preview", kwargs={"pk": report.pk})


def test_clerk_previews_a_draft_of_their_unit(client, report, clerk):
    client.force_login(clerk)
    response = client.get(preview_url(report))
    assert response.status_code == 200
    page = response.content.decode()
    assert "预览" in page and "公众看不到本页面" in page
    assert report.title in page
    assert "（一）measures条目1" in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_preview_shows_the_working_copy_not_the_published_revision(client, published_report, clerk):
    published_report.preamble = "<p>修改中的导语。</p>"
    published_report.save()
    services.record_edit(report=published_report, user=clerk)
    client.force_login(clerk)

    assert "修改中的导语" in client.get(preview_url(published_report)).content.decode()
    client.logout()
    assert "修改中的导语" not in client.get(published_report.get_absolute_url()).content.decode()


def test_preview_is_not_counted_as_a_view(client, published_report, editor):
    client.force_login(editor)
    client.get(preview_url(published_report))
    published_report.refresh_from_db()
    assert published_report.view_count == 0


@pytest.mark.parametrize("who", ["editor", "auditor", "superuser"])
def test_reviewers_and_auditors_may_preview(client, report, who, editor, auditor, superuser):
    client.force_login({"editor": editor, "auditor": auditor, "superuser": superuser}[who])
    assert client.get(preview_url(report)).status_code == 200


@pytest.mark.parametrize("who", ["other_clerk", "public_user"])
def test_others_get_not_found_so_the_report_does_not_leak(client, report, who, other_clerk):
    user = other_clerk if who == "other_clerk" else factories.make_user(is_staff=False)
    client.force_login(user)
    assert client.get(preview_url(report)).status_code == 404


def test_missing_report_and_forbidden_report_look_the_same(client, report, other_clerk):
    client.force_login(other_clerk)
    forbidden = client.get(preview_url(report))
    missing = client.get(reverse("reports:preview", kwargs={"pk": report.pk + 1000}))
    assert forbidden.status_code == missing.status_code == 404


def test_anonymous_visitor_is_sent_to_the_login_page(client, report):
    response = client.get(preview_url(report))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
