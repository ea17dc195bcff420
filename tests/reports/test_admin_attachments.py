"""Staff open a report's attachments before publication, from the change page, the preview and the history."""

from urllib.parse import quote

import lxml.html
import pytest
from django.urls import reverse

from reports import services
from tests import factories
from tests.security import sample_files as files


def staff_url(attachment, report=None) -> str:
    return reverse("admin:reports_report_attachment", args=[(report or attachment.report).pk, attachment.pk])


def links(response) -> list[str]:
    return lxml.html.fromstring(response.content.decode()).xpath("//a/@href")


@pytest.fixture
def attachment(report):
    return factories.attach(report, "2019年度报告全文.pdf")


@pytest.mark.parametrize("role", ["clerk", "editor", "auditor"])
def test_staff_who_see_the_report_read_a_draft_attachment_in_the_browser(client, attachment, clerk, editor, role):
    client.force_login({"clerk": clerk, "editor": editor, "auditor": factories.make_auditor()}[role])

    response = client.get(staff_url(attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f"inline; filename*=utf-8''{quote('2019年度报告全文.pdf')}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_a_word_attachment_downloads_under_its_display_name(client, report, clerk):
    attachment = factories.attach(report, "说明.docx", files.docx())
    client.force_login(clerk)

    assert client.get(staff_url(attachment))["Content-Disposition"].startswith("attachment;")


def test_the_public_still_cannot_download_a_draft_attachment(client, attachment):
    assert client.get(reverse("reports:attachment_download", kwargs={"pk": attachment.pk})).status_code == 404


def test_staff_of_another_unit_get_404_as_for_a_missing_attachment(client, attachment, other_clerk):
    client.force_login(other_clerk)

    assert client.get(staff_url(attachment)).status_code == 404
    assert (
        client.get(reverse("admin:reports_report_attachment", args=[attachment.report_id, 999999])).status_code == 404
    )


def test_an_attachment_is_not_found_under_another_report(client, attachment, organization, clerk):
    other_report = factories.make_report(organization=organization, author=clerk, year=2020)
    client.force_login(clerk)

    assert client.get(staff_url(attachment, report=other_report)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, attachment):
    response = client.get(staff_url(attachment))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_change_page_links_the_file_and_view_on_site_to_the_staff_download(client, attachment, clerk):
    client.force_login(clerk)

    response = client.get(reverse("admin:reports_report_change", args=[attachment.report_id]))

    document = lxml.html.fromstring(response.content.decode())
    current = document.xpath("//p[@class='file-upload']/a")
    assert [(link.get("href"), link.text_content()) for link in current] == [
        (staff_url(attachment), "2019年度报告全文.pdf")
    ]
    assert staff_url(attachment) in [link.get("href") for link in document.xpath("//a[text()='在站点上查看']")]
    assert not [href for href in links(response) if href.startswith("/media/")]


def test_read_only_rows_link_the_staff_download_too(client, attachment):
    client.force_login(factories.make_auditor())

    response = client.get(reverse("admin:reports_report_change", args=[attachment.report_id]))

    assert staff_url(attachment) in links(response)
    assert not [href for href in links(response) if href.startswith("/media/")]


def test_the_preview_links_attachments_to_the_staff_download(client, attachment, editor):
    client.force_login(editor)

    response = client.get(reverse("reports:preview", kwargs={"pk": attachment.report_id}))

    assert staff_url(attachment) in links(response)
    assert reverse("reports:attachment_download", kwargs={"pk": attachment.pk}) not in links(response)


def test_history_links_a_revisions_file_only_while_the_report_still_holds_it(client, report, attachment, clerk):
    services.record_edit(report=report, user=clerk)
    with_file = report.revisions.order_by("-number").first().number
    old_url = staff_url(attachment)
    attachment.delete()
    factories.attach(report, "新附件.pdf", files.pdf() + b"%changed")
    services.record_edit(report=report, user=clerk)
    client.force_login(clerk)

    old_page = client.get(reverse("admin:reports_report_history_revision", args=[report.pk, with_file]))

    assert old_url not in links(old_page)
    assert "此版本的文件已被替换" in old_page.content.decode()
    new_page = client.get(reverse("admin:reports_report_history_revision", args=[report.pk, with_file + 1]))
    assert staff_url(report.attachments.get()) in links(new_page)
