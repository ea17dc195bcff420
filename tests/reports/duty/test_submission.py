"""Completeness at submission: the statutory parts, 其他需要报告的情况 (or 无), the title's year."""

import pytest
from django.urls import reverse

from reports import services
from reports.models import Item, Section, SectionKind
from tests import factories


def other_section(report):
    return report.sections.get(kind=SectionKind.OTHER)


def test_a_complete_report_has_no_submission_problems(report):
    assert report.submission_problems() == []


@pytest.mark.parametrize("kind", SectionKind.required())
def test_a_missing_statutory_part_is_named(report, kind):
    report.sections.filter(kind=kind).delete()

    assert report.submission_problems() == [f"缺少必备部分“{kind.label}”。"]


@pytest.mark.parametrize("kind", SectionKind.required())
def test_an_empty_statutory_part_is_named(report, kind):
    section = report.sections.get(kind=kind)
    section.items.all().delete()
    Section.objects.filter(pk=section.pk).update(intro="<p> </p>")

    assert report.submission_problems() == [f"必备部分“{kind.label}”还没有内容。"]


def test_a_part_with_only_an_item_heading_has_content(report):
    section = report.sections.get(kind=SectionKind.PLANS)
    section.items.all().delete()
    Section.objects.filter(pk=section.pk).update(intro="")
    Item.objects.create(section=section, heading="深化行政执法体制改革", order=1)

    assert report.submission_problems() == []


def test_other_must_be_filled_in_or_say_none(report):
    other_section(report).delete()

    assert report.submission_problems() == [
        "“其他需要报告的情况”须写明内容；没有需要报告的情况，请添加该部分并在引言中填写“无”。"
    ]


def test_other_left_empty_is_not_saying_none(report):
    Section.objects.filter(pk=other_section(report).pk).update(intro="")

    assert len(report.submission_problems()) == 1


def test_a_report_imported_as_already_published_elsewhere_keeps_its_parts(report, clock):
    other_section(report).delete()
    report.imported_published_at = clock.now

    assert report.submission_problems() == []


def test_a_title_naming_another_year_is_flagged(report):
    report.title = "测试街道2018年度法治政府建设情况报告"

    assert report.submission_problems() == ["标题中的年度（2018）与报告年度 2019 不一致，请核对标题或报告年度。"]


def test_a_title_naming_the_reports_year_among_others_is_fine(report):
    report.title = "测试街道2019年度法治政府建设情况报告（2020年修订）"

    assert report.submission_problems() == []


def test_an_incomplete_report_cannot_be_submitted(report, clerk):
    report.sections.filter(kind=SectionKind.MEASURES).delete()

    with pytest.raises(services.IncompleteReport, match="缺少必备部分“主要举措和成效”"):
        services.submit_for_review(report=report, user=clerk)
    report.refresh_from_db()
    assert report.state == "draft"
    assert not report.events.filter(action="submit").exists()


def test_the_admin_shows_submit_disabled_with_the_reason(client, report, clerk):
    other_section(report).delete()
    client.force_login(clerk)

    page = client.get(reverse("admin:reports_report_change", args=[report.pk])).content.decode()

    assert '<span class="workflow-step-disabled">提交审核</span>' in page
    assert "没有需要报告的情况，请添加该部分并在引言中填写“无”" in page
    submit_url = reverse("admin:reports_report_workflow", kwargs={"object_id": report.pk, "step": "submit"})
    assert f'href="{submit_url}"' not in page


def test_the_refused_submit_page_says_why(client, report, clerk):
    other_section(report).delete()
    client.force_login(clerk)
    url = reverse("admin:reports_report_workflow", kwargs={"object_id": report.pk, "step": "submit"})

    response = client.post(url, {"comment": ""}, follow=True)

    assert "报告还不能提交" in response.content.decode()
    report.refresh_from_db()
    assert report.state == "draft"


def test_others_see_no_disabled_button(client, report):
    editor_elsewhere = factories.make_editor(factories.make_organization())
    other_section(report).delete()
    client.force_login(editor_elsewhere)

    response = client.get(reverse("admin:reports_report_change", args=[report.pk]))

    assert response.status_code == 404
