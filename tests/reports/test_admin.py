import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports import services
from reports.models import Attachment, Item, Report, ReportState, Section, SectionKind, WorkflowAction
from tests import factories
from tests.factories import change_url, management, messages_of, new_report_data, page_form_data
from tests.security import sample_files as files

ADD_URL = "admin:reports_report_add"


FULL_REPORT = [
    (
        SectionKind.MEASURES,
        [
            ("完善决策制度", "<p>一是联动，二是共议。</p>", [("建立联动机制", "<p>多方分析。</p>"), ("聘请律师", "")]),
            ("完善监督制度", "<p>加强内部监督。</p>", []),
        ],
    ),
    (SectionKind.SHORTCOMINGS, [("宣传力度不够", "<p>知晓率不高。</p>", [])]),
    (SectionKind.LEADERSHIP, []),
    (SectionKind.PLANS, [("加强学习", "<p>开展培训。</p>", [])]),
]


@pytest.fixture
def pandong_editor(pandong):
    return factories.make_editor(pandong)


# --- Creating a full report on one page ---------------------------------------------------


def test_editor_creates_a_full_report_with_sections_items_and_sub_items(client, pandong, pandong_editor):
    client.force_login(pandong_editor)
    data = new_report_data(pandong, FULL_REPORT, attachments=1)
    data |= {
        "attachments-0-file": SimpleUploadedFile("数据表.pdf", files.pdf()),
        "attachments-0-display_name": "",
        "attachments-0-order": "1",
    }

    response = client.post(reverse(ADD_URL), data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    report = Report.objects.get(organization=pandong, year=2021)
    assert report.title == "磐东街道2021年度法治政府建设情况报告"
    assert report.created_by == pandong_editor
    assert report.state == ReportState.DRAFT
    measures = report.sections.get(kind=SectionKind.MEASURES)
    decision = measures.items.get(heading="完善决策制度")
    assert [(child.heading, child.section_id) for child in decision.children.all()] == [
        ("建立联动机制", measures.pk),
        ("聘请律师", measures.pk),
    ]
    attachment = report.attachments.get()
    assert (attachment.display_name, attachment.content_type) == ("数据表.pdf", "application/pdf")
    assert attachment.size == len(files.pdf())

    revision = report.revisions.get()
    assert revision.number == 1
    assert [section["kind"] for section in revision.content["sections"]] == [
        "measures",
        "shortcomings",
        "leadership",
        "plans",
    ]
    assert revision.content["sections"][0]["items"][0]["children"][0]["heading"] == "建立联动机制"
    assert revision.content["attachments"][0]["name"] == "数据表.pdf"
    assert list(report.events.values_list("action", flat=True)) == [WorkflowAction.CREATE]


def test_markup_typed_into_the_admin_is_sanitized(client, pandong, pandong_editor):
    client.force_login(pandong_editor)
    sections = [(SectionKind.MEASURES, [("<b>标题</b>", '<p onclick="x()">正文<script>alert(1)</script></p>', [])])]

    client.post(reverse(ADD_URL), new_report_data(pandong, sections))

    item = Item.objects.get()
    assert item.heading == "标题"
    assert item.body == "<p>正文</p>"


def test_clerk_sees_only_their_organizations_on_the_add_page(client, pandong, other_organization):
    clerk = factories.make_clerk(pandong)
    client.force_login(clerk)

    response = client.get(reverse(ADD_URL))

    choices = list(response.context["adminform"].form.fields["organization"].queryset)
    assert choices == [pandong]


def test_clerk_cannot_create_a_report_for_another_organization(client, pandong, other_organization):
    client.force_login(factories.make_clerk(pandong))

    response = client.post(reverse(ADD_URL), new_report_data(other_organization, FULL_REPORT))

    assert response.status_code == 200
    assert "organization" in response.context["adminform"].form.errors
    assert not Report.objects.exists()


def test_auditor_cannot_add_reports(client, pandong, auditor):
    client.force_login(auditor)
    assert client.get(reverse(ADD_URL)).status_code == 403


# --- Uniqueness as form errors --------------------------------------------------------------


def test_a_second_report_for_the_same_organization_and_year_is_a_form_error(client, pandong, pandong_editor):
    factories.make_report(organization=pandong, year=2021)
    client.force_login(pandong_editor)

    response = client.post(reverse(ADD_URL), new_report_data(pandong, FULL_REPORT))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_text()
    assert "该单位这一年度的报告已经存在" in errors
    assert Report.objects.count() == 1


def test_changing_the_year_to_a_taken_one_is_a_form_error(client, pandong, pandong_editor):
    factories.make_report(organization=pandong, year=2020)
    report = factories.make_report(organization=pandong, year=2021)
    client.force_login(pandong_editor)
    data = page_form_data(client.get(change_url(report)))

    response = client.post(change_url(report), data | {"year": "2020"})

    assert response.status_code == 200
    assert "该单位这一年度的报告已经存在" in response.context["adminform"].form.errors["year"][0]
    report.refresh_from_db()
    assert report.year == 2021


def test_two_sections_of_one_required_kind_are_a_form_error(client, pandong, pandong_editor):
    client.force_login(pandong_editor)
    sections = [(SectionKind.MEASURES, []), (SectionKind.MEASURES, [])]

    response = client.post(reverse(ADD_URL), new_report_data(pandong, sections))

    assert response.status_code == 200
    section_errors = response.context["inline_admin_formsets"][0].formset.errors
    assert "每个部分只能出现一次" in section_errors[1]["kind"][0]
    assert not Report.objects.exists()


def test_adding_a_section_of_a_kind_the_report_has_is_a_form_error(client, pandong, pandong_editor):
    report = factories.make_report(organization=pandong, year=2021)
    client.force_login(pandong_editor)
    data = page_form_data(client.get(change_url(report)))
    existing = report.sections.count()
    data |= management("sections", existing + 1, initial=existing) | management(f"sections-{existing}-items", 0)
    new = f"sections-{existing}"
    data |= {f"{new}-kind": "plans", f"{new}-heading": "", f"{new}-intro": "", f"{new}-order": str(existing + 1)}

    response = client.post(change_url(report), data)

    assert response.status_code == 200
    assert report.sections.count() == existing


def test_other_sections_may_repeat(client, pandong, pandong_editor):
    client.force_login(pandong_editor)
    sections = [(SectionKind.OTHER, []), (SectionKind.OTHER, [])]

    response = client.post(reverse(ADD_URL), new_report_data(pandong, sections))

    assert response.status_code == 302
    assert Section.objects.filter(kind=SectionKind.OTHER).count() == 2


# --- Numbering preview and missing parts ------------------------------------------------------


def test_change_page_previews_the_numbering(client, pandong, pandong_editor):
    client.force_login(pandong_editor)
    client.post(reverse(ADD_URL), new_report_data(pandong, FULL_REPORT))
    report = Report.objects.get()

    html = client.get(change_url(report)).content.decode()

    assert '<p class="outline-section">一、主要举措和成效</p>' in html
    assert '<p class="outline-item">（二）完善监督制度</p>' in html
    assert '<p class="outline-subitem">2.聘请律师</p>' in html
    assert '<p class="outline-section">四、下一年度工作安排</p>' in html
    assert "（二）" in html and "2." in html


def test_reordering_renumbers(client, pandong, pandong_editor):
    client.force_login(pandong_editor)
    client.post(reverse(ADD_URL), new_report_data(pandong, FULL_REPORT))
    report = Report.objects.get()
    data = page_form_data(client.get(change_url(report)))
    data |= {"sections-0-order": "9"}

    client.post(change_url(report), data)
    html = client.get(change_url(report)).content.decode()

    assert '<p class="outline-section">一、存在不足和原因</p>' in html
    assert '<p class="outline-section">四、主要举措和成效</p>' in html


def test_change_page_names_the_missing_required_parts(client, pandong, pandong_editor):
    client.force_login(pandong_editor)
    client.post(reverse(ADD_URL), new_report_data(pandong, FULL_REPORT[:2]))
    report = Report.objects.get()

    html = client.get(change_url(report)).content.decode()

    assert "缺少的必备部分" in html
    assert "党政主要负责人履行推进法治建设第一责任人职责情况、下一年度工作安排" in html


# --- Saving changes through the services --------------------------------------------------------


def test_an_edit_is_recorded_as_a_new_revision_with_its_comment(client, pandong, pandong_editor):
    report = factories.make_report(organization=pandong, year=2021)
    client.force_login(pandong_editor)
    data = page_form_data(client.get(change_url(report)))
    data |= {"sections-0-items-0-heading": "新的小标题", "change_comment": "改小标题"}

    response = client.post(change_url(report), data)

    assert response.status_code == 302
    revision = report.revisions.order_by("-number").first()
    assert revision.comment == "改小标题"
    assert revision.content["sections"][0]["items"][0]["heading"] == "新的小标题"
    assert report.events.order_by("-sequence").first().action == WorkflowAction.EDIT


def test_a_stale_save_is_refused_and_the_first_persons_work_stays(client, pandong, pandong_editor):
    report = factories.make_report(organization=pandong, year=2021)
    client.force_login(pandong_editor)
    stale = page_form_data(client.get(change_url(report)))
    first = page_form_data(client.get(change_url(report)))
    client.post(change_url(report), first | {"title": "第一个人的标题"})

    response = client.post(change_url(report), stale | {"title": "第二个人的标题"})

    assert response.status_code == 200
    assert "已被他人修改" in response.context["adminform"].form.non_field_errors()[0]
    report.refresh_from_db()
    assert report.title == "第一个人的标题"


def test_a_save_after_a_workflow_step_is_refused(client, pandong, pandong_editor):
    report = factories.make_report(organization=pandong, year=2021)
    client.force_login(pandong_editor)
    data = page_form_data(client.get(change_url(report)))
    services.submit_for_review(report=report, user=report.created_by)

    response = client.post(change_url(report), data | {"title": "改了"})

    assert response.status_code == 200
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert report.title != "改了"


def test_a_refusal_while_saving_keeps_nothing_and_says_why(client, pandong, pandong_editor, monkeypatch):
    """The second of two truly simultaneous saves fails under the row lock, after its form was valid."""
    report = factories.make_report(organization=pandong, year=2021)
    client.force_login(pandong_editor)
    data = page_form_data(client.get(change_url(report)))

    def concurrent(**kwargs):
        raise services.WorkflowError("这份报告在您打开之后已被他人修改。")

    monkeypatch.setattr(services, "lock_for_edit", concurrent)
    response = client.post(change_url(report), data | {"title": "不应保存", "sections-0-heading": "不应保存"})

    assert response.status_code == 302
    assert response.url == change_url(report)
    assert messages_of(response) == ["这份报告在您打开之后已被他人修改。"]
    report.refresh_from_db()
    assert report.title != "不应保存"
    assert not Section.objects.filter(heading="不应保存").exists()


def test_a_clerk_cannot_change_a_submitted_report(client, pandong):
    report = factories.make_report(organization=pandong, year=2021)
    clerk = report.created_by
    services.submit_for_review(report=report, user=clerk)
    client.force_login(clerk)

    response = client.get(change_url(report))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert client.post(change_url(report), {"title": "x"}).status_code == 403


def test_auditor_sees_reports_read_only(client, pandong, auditor):
    report = factories.make_report(organization=pandong, year=2021)
    client.force_login(auditor)

    response = client.get(change_url(report))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False


def test_reports_cannot_be_deleted_in_the_admin(client, pandong, superuser):
    report = factories.make_report(organization=pandong, year=2021)
    client.force_login(superuser)
    response = client.get(reverse("admin:reports_report_delete", args=[report.pk]))
    assert response.status_code == 403


def test_clerk_does_not_see_other_organizations_reports(client, pandong, other_organization):
    report = factories.make_report(organization=other_organization, year=2021)
    client.force_login(factories.make_clerk(pandong))
    assert client.get(change_url(report)).status_code == 404


def test_attachments_are_listed_with_size_and_type(client, pandong, pandong_editor):
    report = factories.make_report(organization=pandong, year=2021)
    client.force_login(pandong_editor)
    data = page_form_data(client.get(change_url(report)))
    data |= management("attachments", 1) | {
        "attachments-0-file": SimpleUploadedFile("附件.pdf", files.pdf()),
        "attachments-0-display_name": "统计表",
        "attachments-0-order": "1",
    }

    response = client.post(change_url(report), data)

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.display_name, attachment.size, attachment.content_type) == (
        "统计表",
        len(files.pdf()),
        "application/pdf",
    )
