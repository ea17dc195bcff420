import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reports.models import Item, Organization, Report, Section, SectionKind
from tests import factories


def test_title_defaults_to_organization_and_year(organization, clerk):
    report = factories.start_report(organization=organization, year=2019, user=clerk)
    assert report.title == f"{organization.name}2019年度法治政府建设情况报告"


def test_a_typed_title_is_kept(organization, clerk):
    report = factories.start_report(organization=organization, year=2019, user=clerk, title="关于2019年度的报告")
    assert report.title == "关于2019年度的报告"


def test_source_defaults_to_this_site(report):
    assert report.source == "本网"


def test_section_heading_defaults_to_the_standard_heading(report):
    section = Section.objects.create(report=report, kind=SectionKind.OTHER, order=9)
    assert section.heading == "其他需要报告的情况"


def test_a_typed_section_heading_is_kept(report):
    section = Section.objects.create(report=report, kind=SectionKind.OTHER, heading="社区法律服务情况", order=9)
    assert section.heading == "社区法律服务情况"


def test_index_number_has_the_stable_format(organization, clerk):
    report = factories.start_report(organization=organization, year=2019, user=clerk)
    assert report.index_number == f"{organization.code}/2019-00001"
    assert re.fullmatch(r"[^/]+/\d{4}-\d{5}", report.index_number)


def test_index_numbers_count_up_within_a_code_and_year(db):
    district = factories.make_organization(code="445203")
    first = factories.start_report(organization=district, year=2019, user=factories.make_clerk(district))
    second = factories.start_report(organization=district, year=2020, user=factories.make_clerk(district))
    assert (first.index_number, second.index_number) == ("445203/2019-00001", "445203/2020-00001")


def test_index_numbers_are_unique(report):
    other = factories.make_report(year=2020)
    other.index_number = report.index_number
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


def test_index_number_is_not_changed_by_later_saves(report):
    number = report.index_number
    report.title = "新标题"
    report.save()
    assert report.index_number == number


def test_missing_section_kinds_names_the_absent_required_parts(organization, clerk):
    report = factories.start_report(organization=organization, year=2019, user=clerk)
    Section.objects.create(report=report, kind=SectionKind.SHORTCOMINGS, order=1)
    Section.objects.create(report=report, kind=SectionKind.OTHER, order=2)
    assert report.missing_section_kinds() == [SectionKind.MEASURES, SectionKind.LEADERSHIP, SectionKind.PLANS]


def test_a_complete_report_misses_nothing(report):
    assert report.missing_section_kinds() == []


@pytest.mark.parametrize(
    ("title", "mismatch"),
    [("关于2018年度法治政府建设情况的报告", True), ("关于2019年度法治政府建设情况的报告", False), ("", False)],
)
def test_title_year_mismatch_compares_the_title_with_the_reports_year(organization, title, mismatch):
    """An empty title becomes the default one, which names the report's year."""
    assert Report(organization=organization, year=2019, title=title).title_year_mismatch() is mismatch


def test_one_report_per_organization_and_year(report):
    duplicate = Report(organization=report.organization, year=report.year)
    with pytest.raises(ValidationError, match="这一年度的报告已经存在"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(organization=report.organization, year=report.year, index_number="X/1")


@pytest.mark.parametrize("year", [1999, 2101])
def test_report_year_must_be_plausible(organization, year):
    with pytest.raises(ValidationError, match="2000 到 2100"):
        Report(organization=organization, year=year, index_number="X/1").full_clean()


def test_each_required_part_appears_once(report):
    duplicate = Section(report=report, kind=SectionKind.MEASURES, order=9)
    with pytest.raises(ValidationError, match="每个部分只能出现一次"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.create(report=report, kind=SectionKind.MEASURES, order=9)


def test_other_sections_may_repeat(report):
    before = report.sections.filter(kind=SectionKind.OTHER).count()
    Section.objects.create(report=report, kind=SectionKind.OTHER, order=8)
    Section.objects.create(report=report, kind=SectionKind.OTHER, order=9)
    assert report.sections.filter(kind=SectionKind.OTHER).count() == before + 2


def test_items_nest_one_level_only(report):
    section = report.sections.first()
    item = section.items.first()
    child = Item.objects.create(section=section, parent=item, heading="子项", order=1)
    grandchild = Item(section=section, parent=child, heading="孙项", order=1)
    with pytest.raises(ValidationError, match="最多嵌套两级"):
        grandchild.full_clean()


def test_a_sub_item_belongs_to_its_items_section(report):
    first, second = report.sections.all()[:2]
    stray = Item(section=second, parent=first.items.first(), heading="错位", order=1)
    with pytest.raises(ValidationError, match="同一部分"):
        stray.full_clean()


def test_rich_text_is_sanitized_on_save(report):
    section = report.sections.first()
    item = Item.objects.create(section=section, body='<p onclick="x()">正文<script>alert(1)</script></p>', order=9)
    assert item.body == "<p>正文</p>"
    report.preamble = '<a href="javascript:alert(1)">链接</a>'
    report.save()
    assert "javascript" not in report.preamble


def test_headings_and_titles_are_plain_text_when_saved(report):
    report.title = "<b>标题</b>"
    report.save()
    assert Report.objects.get(pk=report.pk).title == "标题"


def test_signatories_fall_back_to_the_organizations_sign_off(report):
    report.signatories = ""
    assert report.signatory_list == report.organization.sign_off_list


def test_organization_sign_off_list_skips_blank_lines():
    organization = Organization(sign_off_names="磐东街道党工委\n\n  磐东街道办事处  \n")
    assert organization.sign_off_list == ["磐东街道党工委", "磐东街道办事处"]


def test_organization_display_name_prefers_the_short_name():
    assert Organization(name="磐东街道", short_name="磐东").display_name == "磐东"
    assert Organization(name="磐东街道").display_name == "磐东街道"
