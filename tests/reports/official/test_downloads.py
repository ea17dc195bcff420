"""Who downloads which official document: the public revision, the working copy, a year's set."""

import io

import docx
import pytest
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from reports import services
from reports.models import Report
from tests import factories
from tests.reports.duty.conftest import beijing


def public_url(report, kind):
    return reverse("reports:report_official", args=[report.year, report.organization.slug, kind])


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_the_public_downloads_a_published_report(client, published_report, kind):
    response = client.get(public_url(published_report, kind))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"].startswith("application/")


def test_unreviewed_edits_never_reach_the_public_document(client, published_report, clerk):
    with transaction.atomic():
        Report.objects.filter(pk=published_report.pk).update(preamble="<p>尚未审核的新导语。</p>")
        services.record_edit(report=published_report, user=clerk)

    public = pdf_text(client.get(public_url(published_report, "pdf")).content)
    words = [
        p.text for p in docx.Document(io.BytesIO(client.get(public_url(published_report, "docx")).content)).paragraphs
    ]

    assert "尚未审核" not in public and "现将本年度法治政府建设情况报告如下" in public
    assert not any("尚未审核" in text for text in words)


@pytest.mark.parametrize("kind", ["pdf", "docx", "txt"])
def test_a_draft_has_no_public_document(client, report, kind):
    assert client.get(public_url(report, kind)).status_code == 404


def test_staff_download_the_working_copy_of_a_draft(client, report, clerk, other_clerk):
    url = reverse("admin:reports_report_official", args=[report.pk, "pdf"])
    client.force_login(clerk)
    assert "现将本年度" in pdf_text(client.get(url).content)

    client.force_login(other_clerk)
    assert client.get(url).status_code == 404


def test_an_inspector_downloads_the_years_combined_set(client, clock, district, inspector):
    streets = [factories.make_organization(parent=district, reports_annually=True, name=f"街道{n}") for n in range(2)]
    clock.now = beijing(2020, 3, 20)
    factories.make_published_report(organization=streets[0], year=2019)
    clock.now = beijing(2020, 4, 10)
    client.force_login(inspector)
    url = reverse("admin:reports_organization_duty_combined", args=["pdf"])

    text = pdf_text(client.get(url, {"year": 2019}).content)
    word = docx.Document(
        io.BytesIO(
            client.get(reverse("admin:reports_organization_duty_combined", args=["docx"]), {"year": 2019}).content
        )
    )

    assert "街道0" in text and "街道1" in text and "已逾期 10 天，尚未完成" in text
    assert text.count("现将本年度法治政府建设情况报告如下") == 1
    assert [cell.text for cell in word.tables[0].rows[0].cells] == ["单位", "状态", "首次公开时间", "公开情况"]
    assert len(word.tables[0].rows) == 3


def test_a_clerk_cannot_download_the_combined_set(client, clerk):
    client.force_login(clerk)

    assert client.get(reverse("admin:reports_organization_duty_combined", args=["pdf"])).status_code == 403


def test_missing_fonts_answer_503_not_a_server_error(client, published_report, settings):
    from reports.official import pdf

    settings.OFFICIAL_FONT_FANGSONG = "/nonexistent/fangsong.ttf"
    pdf._register.cache_clear()

    response = client.get(public_url(published_report, "pdf"))

    assert response.status_code == 503
    assert "暂时无法生成" in response.content.decode()
