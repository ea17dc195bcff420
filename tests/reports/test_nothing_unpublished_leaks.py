"""Acceptance: no API endpoint, bulk file or archive page ever shows what the public may not see.

One world holds a draft, a withdrawn report, a schedule not yet due and a published report
edited after publication, each with its own marker words; every address below is fetched
(the bulk .xlsx unpacked) and none of the markers may appear, while the public words do.
"""

import io
from datetime import timedelta

import openpyxl
import pytest
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
MARKERS = [DRAFT, WITHDRAWN, SCHEDULED, EDITED]


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
    set_first_measure(public, clerk, EDITED)  # the working copy moves on; the public revision does not

    withdrawn = factories.make_report(organization=organization, author=clerk, year=2017)
    set_first_measure(withdrawn, clerk, WITHDRAWN)
    publish(withdrawn, clerk, editor)
    services.withdraw(report=withdrawn, user=editor, reason="内容有误")

    scheduled = factories.make_report(organization=organization, author=clerk, year=2018)
    set_first_measure(scheduled, clerk, SCHEDULED)
    publish(scheduled, clerk, editor, at=clock.now + timedelta(days=3))

    draft = factories.make_report(organization=organization, author=clerk, year=2019)
    set_first_measure(draft, clerk, DRAFT)
    return organization


def addresses(org: str) -> list[str]:
    api = "/api/v1"
    return [
        f"{api}/reports/",
        *[f"{api}/reports/?year={year}" for year in range(2016, 2020)],
        f"{api}/reports/?organization={org}",
        *[f"{api}/reports/{year}/{org}/" for year in range(2016, 2020)],
        f"{api}/organizations/",
        f"{api}/organizations/{org}/",
        *[f"{api}/bulk/{year}.{fmt}" for year in range(2016, 2020) for fmt in ("json", "csv", "xlsx")],
        f"{api}/bulk/dictionary.csv",
        f"{api}/openapi.json",
        "/opendata/",
        f"/units/{org}/",
        *[f"/reports/{year}/{org}/follow-through/" for year in range(2016, 2021)],
    ]


def text_of(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row if value
        )
    return response.content.decode("utf-8")


@pytest.mark.parametrize("index", range(len(addresses("org"))))
def test_no_address_shows_anything_unpublished(client, world, index):
    url = addresses(world.slug)[index]
    response = client.get(url)

    assert response.status_code in (200, 404), url
    text = text_of(response)
    assert [marker for marker in MARKERS if marker in text] == [], url


def test_the_public_words_are_there_so_the_search_above_means_something(client, world):
    detail = client.get(f"/api/v1/reports/2016/{world.slug}/").content.decode()
    bulk = text_of(client.get("/api/v1/bulk/2016.xlsx"))
    assert PUBLIC in detail and PUBLIC in bulk


def test_the_schedule_shows_once_due_and_not_before(client, world, clock):
    assert client.get(f"/api/v1/reports/2018/{world.slug}/").status_code == 404
    clock.advance(days=3)
    assert SCHEDULED in client.get(f"/api/v1/reports/2018/{world.slug}/").content.decode()
