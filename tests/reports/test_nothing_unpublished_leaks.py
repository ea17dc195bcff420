"""Acceptance: no public page, feed, sitemap, search, API endpoint, bulk file or download ever
shows what the public may not see, and the admin's badges follow the same rule.

One world holds a draft, a withdrawn report, a schedule not yet due and a published report
edited after publication, each with its own marker words and tags; every address below is
fetched (the .xlsx and .docx unpacked) and none of the markers may appear, while the public
words do.
"""

import io
import zipfile
from datetime import timedelta
from urllib.parse import quote

import openpyxl
import pytest
from django.conf import settings
from django.db import transaction

from reports import services
from reports.models import Item
from tests import factories

pytestmark = pytest.mark.django_db

PUBLIC = "公开正文标记词"
DRAFT = "草稿标记词甲"
WITHDRAWN = "撤回标记词乙"
SCHEDULED = "定时标记词丙"
EDITED = "发布后修改标记词丁"
DRAFT_TAG = "草稿标签戊"
EDITED_TAG = "发布后标签己"
MARKERS = [DRAFT, WITHDRAWN, SCHEDULED, EDITED, DRAFT_TAG, EDITED_TAG]
YEARS = range(2016, 2020)


def set_first_measure(report, user, words: str) -> None:
    with transaction.atomic():
        item = Item.objects.filter(section__report=report, section__kind="measures").order_by("order").first()
        item.heading = words
        item.body = f"<p>{words}。</p>"
        item.save()
        services.record_edit(report=report, user=user)
    report.refresh_from_db()


def publish(report, clerk, editor, **kwargs) -> None:
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor, **kwargs)
    report.refresh_from_db()


@pytest.fixture
def world(clock, organization, clerk, editor):
    """Every year 2016-2020 of one unit, in each state a report can be in besides public."""
    public = factories.make_report(organization=organization, author=clerk, year=2016)
    set_first_measure(public, clerk, PUBLIC)
    publish(public, clerk, editor)
    public.tags.add(EDITED_TAG)
    set_first_measure(public, clerk, EDITED)  # the working copy moves on; the public revision does not

    withdrawn = factories.make_report(organization=organization, author=clerk, year=2017)
    set_first_measure(withdrawn, clerk, WITHDRAWN)
    publish(withdrawn, clerk, editor)
    services.withdraw(report=withdrawn, user=editor, reason="内容有误")

    scheduled = factories.make_report(organization=organization, author=clerk, year=2018)
    set_first_measure(scheduled, clerk, SCHEDULED)
    publish(scheduled, clerk, editor, at=clock.now + timedelta(days=3))

    draft = factories.make_report(organization=organization, author=clerk, year=2019)
    draft.tags.add(DRAFT_TAG)
    set_first_measure(draft, clerk, DRAFT)
    return organization


def addresses(org: str) -> list[str]:
    api = "/api/v1"
    return [
        "/",
        "/reports/",
        *[f"/reports/?year={year}" for year in YEARS],
        *[f"/reports/{year}/{org}/{page}" for year in YEARS for page in ("", "official.docx", "qr.svg")],
        *[f"/disclosure/{year}/" for year in YEARS],
        *[f"/tags/{quote(tag)}/" for tag in (DRAFT_TAG, EDITED_TAG)],
        "/feeds/atom.xml",
        "/feeds/rss.xml",
        "/sitemap.xml",
        "/sitemap/",
        f"{api}/reports/",
        *[f"{api}/reports/?year={year}" for year in YEARS],
        f"{api}/reports/?organization={org}",
        *[f"{api}/reports/{year}/{org}/" for year in YEARS],
        f"{api}/organizations/",
        f"{api}/organizations/{org}/",
        *[f"{api}/bulk/{year}.{fmt}" for year in YEARS for fmt in ("json", "csv", "xlsx")],
        f"{api}/bulk/dictionary.csv",
        f"{api}/openapi.json",
        "/opendata/",
        f"/units/{org}/",
        *[f"/reports/{year}/{org}/follow-through/" for year in range(2016, 2021)],
    ]


def text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response["Content-Type"]
    if kind.startswith("application/vnd.openxmlformats-officedocument.spreadsheetml"):
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row if value
        )
    if kind.startswith("application/vnd.openxmlformats-officedocument.wordprocessingml"):
        return zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode("utf-8")
    return content.decode("utf-8")


def test_no_address_shows_anything_unpublished(client, world):
    leaks = {}
    for url in addresses(world.slug):
        response = client.get(url)
        assert response.status_code in (200, 404, 410), url  # 410: the withdrawn report's page
        if found := [marker for marker in MARKERS if marker in text_of(response)]:
            leaks[url] = found
    assert leaks == {}


def test_search_finds_no_report_by_unpublished_words(client, world):
    """The results page echoes the query, so what matters is that it links no report."""
    linked = {}
    for marker in MARKERS:
        page = client.get("/search/", {"q": marker}).content.decode()
        if years := [year for year in YEARS if f"/reports/{year}/{world.slug}/" in page]:
            linked[marker] = years
    assert linked == {}


def test_the_public_words_are_there_so_the_search_above_means_something(client, world):
    pages = [f"/api/v1/reports/2016/{world.slug}/", "/api/v1/bulk/2016.xlsx", f"/reports/2016/{world.slug}/"]
    pages.append(f"/reports/2016/{world.slug}/official.docx")
    assert [url for url in pages if PUBLIC not in text_of(client.get(url))] == []
    assert f"/reports/2016/{world.slug}/" in client.get("/search/", {"q": PUBLIC}).content.decode()


def test_the_schedule_shows_once_due_and_not_before(client, world, clock):
    assert client.get(f"/api/v1/reports/2018/{world.slug}/").status_code == 404
    clock.advance(days=3)
    assert SCHEDULED in client.get(f"/api/v1/reports/2018/{world.slug}/").content.decode()


def test_the_admin_badge_says_scheduled_until_the_time_comes_then_public(client, world, editor, clock):
    client.force_login(editor)
    changelist = "/".join(("", settings.ADMIN_PATH, "reports", "report", ""))

    assert "state-badge--scheduled" in client.get(changelist).content.decode()
    clock.advance(days=3)
    assert "state-badge--scheduled" not in client.get(changelist).content.decode()
