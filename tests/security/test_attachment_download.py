"""Public attachment downloads: only what was published, with headers a browser cannot misread."""

from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from reports import services
from reports.models import Attachment
from tests import factories
from tests.factories import attach, download, publish_edited
from tests.security import sample_files as files


@pytest.fixture
def editor(organization):
    return factories.make_editor(organization)


@pytest.mark.django_db
def test_a_published_document_downloads_as_an_attachment_with_a_chinese_file_name(client, report, clerk, editor):
    attachment = attach(report, "2019年度报告全文.pdf", files.pdf())
    publish_edited(report, clerk, editor)
    response = download(client, attachment)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('2019年度报告全文.pdf')}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == files.pdf()


@pytest.mark.django_db
def test_a_published_image_is_shown_inline(client, report, clerk, editor):
    attachment = attach(report, "photo.png", files.png())
    publish_edited(report, clerk, editor)
    response = download(client, attachment)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="photo.png"'
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_download_name_ends_with_the_real_type(client, report, clerk, editor):
    attachment = attach(report, "readme.txt", files.docx())
    publish_edited(report, clerk, editor)
    assert download(client, attachment)["Content-Disposition"] == 'attachment; filename="readme.txt.docx"'


@pytest.mark.django_db
def test_attachments_of_unpublished_reports_are_not_found(client, report):
    attachment = attach(report, "草稿附件.pdf", files.pdf())
    assert download(client, attachment).status_code == 404


@pytest.mark.django_db
def test_attachments_of_withdrawn_reports_are_not_found(client, report, clerk, editor):
    attachment = attach(report, "附件.pdf", files.pdf())
    publish_edited(report, clerk, editor)
    services.withdraw(report=report, user=editor, reason="内容有误")
    assert download(client, attachment).status_code == 404


@pytest.mark.django_db
def test_an_attachment_added_after_publication_waits_for_the_next_one(client, report, clerk, editor):
    publish_edited(report, clerk, editor)
    later = attach(report, "新附件.pdf", files.pdf())
    assert download(client, later).status_code == 404


@pytest.mark.django_db
def test_a_file_replaced_in_the_working_copy_is_not_served_before_review(client, report, clerk, editor):
    attachment = attach(report, "附件.pdf", files.pdf())
    publish_edited(report, clerk, editor)
    replaced = files.pdf() + b"% unreviewed change\n"
    attachment.file.save("upload.pdf", ContentFile(replaced), save=False)
    attachment.sha256 = "0" * 64
    attachment.save()
    assert download(client, attachment).status_code == 404


@pytest.mark.django_db
def test_a_stored_file_of_no_allowed_type_is_never_served(client, report, clerk, editor):
    attachment = attach(report, "附件.pdf", files.pdf())
    Attachment.objects.filter(pk=attachment.pk).update(content_type="text/html")
    publish_edited(report, clerk, editor)
    assert download(client, attachment).status_code == 404


@pytest.mark.django_db
def test_a_missing_file_is_a_404_not_an_error(client, report, clerk, editor):
    attachment = attach(report, "附件.pdf", files.pdf())
    publish_edited(report, clerk, editor)
    attachment.file.storage.delete(attachment.file.name)
    assert download(client, attachment).status_code == 404


@pytest.mark.django_db
def test_unknown_and_absurd_ids_are_not_found(client):
    assert client.get(reverse("reports:attachment_download", kwargs={"pk": 424242})).status_code == 404
    assert client.get("/attachments/99999999999999999999999/").status_code == 404


@pytest.mark.django_db
def test_only_get_and_head_are_allowed(client, report, clerk, editor):
    attachment = attach(report, "附件.pdf", files.pdf())
    publish_edited(report, clerk, editor)
    url = reverse("reports:attachment_download", kwargs={"pk": attachment.pk})
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405
