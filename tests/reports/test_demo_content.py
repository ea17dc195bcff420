"""What the loaded demo holds (``load_demo_data``): its units, reports, history and yearly duty.

These tests only read the demo, so it is loaded once for the module (``module_rows``); how
``load_demo_data`` itself behaves (twice, refusals, debug off) is in ``test_demo_data.py``.
"""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from reports.duty.deadlines import current_year
from reports.duty.status import duty_rows, totals
from reports.models import Report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

User = get_user_model()


@pytest.fixture(scope="module")
def demo(module_rows, tmp_path_factory):
    with override_settings(DEMO_MODE=True, VAR_DIR=tmp_path_factory.mktemp("var")):
        call_command("load_demo_data", stdout=StringIO())


def test_demo_unit_shows_last_years_plans_and_what_came_of_them(client):
    later = Report.objects.published().get(organization__slug="shifan", year=2023)
    earlier = Report.objects.published().get(organization__slug="shifan", year=2022)

    article = client.get(later.get_absolute_url()).content.decode()
    side_by_side = client.get(reverse("reports:follow_through", kwargs={"year": 2023, "org": "shifan"}))
    archive = client.get(reverse("reports:unit_archive", kwargs={"slug": "shifan"})).content.decode()

    assert later.plan_reviews.get(position=1).plan_revision_id == earlier.public_revision_id
    assert "上年工作安排落实情况" in article and "开展执法人员轮训" in article and "推进中" in article
    assert "建设社区法治文化阵地" in side_by_side.content.decode()
    assert later.get_absolute_url() in archive and earlier.get_absolute_url() in archive


def test_demo_report_is_public_since_it_was_published_here():
    report = Report.objects.published().get(organization__slug="pandong", year=2019)
    assert report.public_since == datetime(2025, 3, 3, 3, 35, tzinfo=UTC)
    assert report.title == "磐东街道2019年度法治政府建设情况报告"
    assert report.source == "本网"
    assert report.signatory_list == ["磐东街道党工委", "磐东街道办事处"]
    assert report.organization.parent.name == "揭东区"
    assert report.missing_section_kinds() == []


def test_demo_report_page_is_public(client):
    report = Report.objects.get(organization__slug="pandong", year=2019)

    response = client.get(report.get_absolute_url())

    assert response.status_code == 200
    assert "完善决策制度,推动决策依法民主" in response.content.decode()


def test_history_accounts_cannot_sign_in():
    for user in User.objects.filter(username__startswith="migration-"):
        assert not user.has_usable_password()
        assert not user.is_active


def test_the_duty_demo_has_units_on_time_late_and_not_started_for_two_cycles():
    last, this = totals(duty_rows(current_year() - 1)), totals(duty_rows(current_year()))
    assert last.owing == this.owing == 12
    assert last.by_standing == {"on_time": 5, "late": 3, "pending": 0, "overdue": 4}
    assert last.by_state["withdrawn"] == 1 and last.by_state["not_started"] == 2
    assert this.by_state == {
        "not_started": 9,
        "draft": 2,
        "submitted": 1,
        "approved": 0,
        "published": 0,
        "withdrawn": 0,
    }


def test_every_demo_publish_time_is_a_publish_event():
    for row in duty_rows(current_year() - 1):
        if row.published_at is not None:
            assert row.report.events.filter(action="publish", effective_at=row.published_at).exists()
    assert Report.objects.get(organization__slug="pandong", year=2019).events.count() == 4
