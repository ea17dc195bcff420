"""Removing or replacing an attachment changes the working copy, never what the public downloads before review."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports import services
from tests.factories import attach, download, page_form_data, publish_edited
from tests.security import sample_files as files

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_attachment(report, clerk, editor):
    attachment = attach(report, "附件.pdf", files.pdf())
    publish_edited(report, clerk, editor)
    return attachment


def save_change_page(client, report, **changes):
    url = reverse("admin:reports_report_change", args=[report.pk])
    response = client.post(url, page_form_data(client.get(url)) | changes)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    report.refresh_from_db()


def test_a_removed_attachment_stays_public_until_a_revision_without_it_is_published(
    client, report, clerk, editor, published_attachment
):
    client.force_login(clerk)
    save_change_page(client, report, **{"attachments-0-DELETE": "on"})

    assert report.revisions.order_by("-number").first().content["attachments"] == []
    assert not report.attachments.attached().exists()
    assert download(client, published_attachment).status_code == 200

    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor)

    assert download(client, published_attachment).status_code == 404
    # An older revision still names it and may be restored: the file stays.
    assert published_attachment.file.storage.exists(published_attachment.file.name)


def test_a_file_uploaded_over_an_attachment_is_a_new_one_and_the_published_file_stays(
    client, report, clerk, published_attachment
):
    replacement = files.pdf() + b"% revised\n"
    client.force_login(clerk)
    save_change_page(client, report, **{"attachments-0-file": SimpleUploadedFile("新.pdf", replacement)})

    current = report.attachments.attached().get()
    assert current.pk != published_attachment.pk
    assert current.file.read() == replacement
    response = download(client, published_attachment)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.pdf()


def test_restoring_the_published_revision_brings_a_removed_attachment_back(
    client, report, clerk, editor, published_attachment
):
    public = report.revisions.order_by("-number").first()
    client.force_login(clerk)
    save_change_page(client, report, **{"attachments-0-DELETE": "on"})

    services.restore_revision(revision=public, user=editor)

    assert list(report.attachments.attached()) == [published_attachment]
    assert report.revisions.order_by("-number").first().content["attachments"] == public.content["attachments"]
