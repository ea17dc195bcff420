"""The workflow through the admin: buttons, step pages, 待我处理, and what each role may see and do."""

from datetime import timedelta
from unittest import mock

import lxml.html
import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import Organization, Report, ReportState, WorkflowAction
from tests import factories

STEP_LABELS = {
    "submit": "提交审核",
    "return": "退回",
    "approve": "审核通过",
    "publish": "立即发布",
    "schedule": "定时发布",
    "withdraw": "撤回",
}


def change_url(report) -> str:
    return reverse("admin:reports_report_change", args=[report.pk])


def step_url(report, step: str) -> str:
    return reverse("admin:reports_report_workflow", args=[report.pk, step])


def changelist_url(**query) -> str:
    url = reverse("admin:reports_report_changelist")
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def logged_in(client, user):
    client.force_login(user)
    return client


def page(response):
    return lxml.html.fromstring(response.content.decode())


def with_class(node, name: str, tag: str = "*") -> list:
    return node.xpath(f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")


def by_id(response, element_id: str):
    return page(response).get_element_by_id(element_id)


def buttons(response) -> list[str]:
    return [link.text_content().strip() for link in with_class(page(response), "workflow-button", "a")]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def footprint(report) -> tuple:
    report.refresh_from_db()
    return report.state, report.version, report.events.count(), report.revisions.count()


def submitted(report, user):
    services.submit_for_review(report=report, user=user)
    report.refresh_from_db()
    return report


def approved(report, clerk, editor):
    submitted(report, clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    report.refresh_from_db()
    return report


# --- The change page ----------------------------------------------------------------------


def test_clerk_sees_state_and_only_the_submit_button_on_a_draft(client, report, clerk):
    response = logged_in(client, clerk).get(change_url(report))
    assert response.status_code == 200
    panel = with_class(page(response), "workflow-panel")[0].text_content()
    assert "草稿" in panel
    assert "待起草人提交" in panel
    assert buttons(response) == ["提交审核"]


def test_editor_sees_return_and_approve_on_a_submitted_report(client, report, clerk, editor):
    submitted(report, clerk)
    response = logged_in(client, editor).get(change_url(report))
    assert buttons(response) == ["退回", "审核通过"]


def test_submitter_editor_is_not_offered_approval_of_their_own_submission(client, report, editor):
    submitted(report, editor)
    response = logged_in(client, editor).get(change_url(report))
    assert buttons(response) == ["退回"]


def test_editor_sees_publish_schedule_return_and_report_upward_on_an_approved_report(client, report, clerk, editor):
    approved(report, clerk, editor)
    response = logged_in(client, editor).get(change_url(report))
    assert buttons(response) == ["退回", "立即发布", "定时发布", "报送上级"]


def test_clerk_gets_no_buttons_while_the_report_is_under_review(client, report, clerk):
    submitted(report, clerk)
    response = logged_in(client, clerk).get(change_url(report))
    assert buttons(response) == []
    assert "您现在不需要对这份报告做流程操作" in response.content.decode()


def test_auditor_sees_the_report_read_only_without_buttons(client, report, clerk, auditor):
    submitted(report, clerk)
    response = logged_in(client, auditor).get(change_url(report))
    assert response.status_code == 200
    assert buttons(response) == []
    assert not page(response).xpath('//input[@name="_save"]')


def test_change_page_shows_the_workflow_history_with_comments(client, report, clerk, editor):
    submitted(report, clerk)
    services.return_for_revision(report=report, user=editor, comment="请补充2019年的行政复议数据。")
    response = logged_in(client, clerk).get(change_url(report))
    history = with_class(page(response), "workflow-history")[0].text_content()
    assert "退回" in history
    assert "请补充2019年的行政复议数据。" in history
    assert "待审核 → 草稿" in " ".join(history.split())
    assert "待起草人修改" in with_class(page(response), "workflow-panel")[0].text_content()


def test_change_page_links_to_the_staff_preview(client, report, clerk):
    response = logged_in(client, clerk).get(change_url(report))
    assert reverse("reports:preview", args=[report.pk]) in [
        link.get("href") for link in with_class(page(response), "object-tools")[0].xpath(".//a")
    ]


def test_view_on_site_is_offered_only_for_a_public_report(client, report, clerk, editor, superuser):
    live = factories.make_published_report(organization=report.organization, author=clerk, editor=editor, year=2020)
    client = logged_in(client, superuser)
    assert not with_class(page(client.get(change_url(report))), "viewsitelink", "a")
    links = with_class(page(client.get(change_url(live))), "viewsitelink", "a")
    assert [link.get("href") for link in links] == [live.get_absolute_url()]


# --- The step pages -----------------------------------------------------------------------


def test_submit_page_shows_the_state_and_a_get_changes_nothing(client, report, clerk):
    before = footprint(report)
    response = logged_in(client, clerk).get(step_url(report, "submit"))
    assert response.status_code == 200
    assert "草稿" in with_class(page(response), "workflow-panel__state")[0].text_content()
    assert footprint(report) == before


def test_clerk_submits_through_the_button(client, report, clerk):
    response = logged_in(client, clerk).post(step_url(report, "submit"), {"comment": "请审核。"})
    assert response.status_code == 302
    assert response["Location"] == change_url(report)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    event = report.events.order_by("-sequence").first()
    assert (event.action, event.actor, event.comment) == (WorkflowAction.SUBMIT, clerk, "请审核。")
    assert any("已提交审核" in message for message in messages_of(response))


def test_return_without_a_comment_is_a_form_error_and_changes_nothing(client, report, clerk, editor):
    submitted(report, clerk)
    before = footprint(report)
    response = logged_in(client, editor).post(step_url(report, "return"), {"comment": "  "})
    assert response.status_code == 200
    assert with_class(page(response), "errorlist")
    assert footprint(report) == before


def test_editor_returns_with_a_comment(client, report, clerk, editor):
    submitted(report, clerk)
    logged_in(client, editor).post(step_url(report, "return"), {"comment": "数据需要核实。"})
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT
    assert report.events.order_by("-sequence").first().comment == "数据需要核实。"


def test_approval_without_the_secrecy_checkbox_is_refused(client, report, clerk, editor):
    submitted(report, clerk)
    before = footprint(report)
    response = logged_in(client, editor).post(step_url(report, "approve"), {"comment": "同意。"})
    assert response.status_code == 200
    assert "保密审查" in with_class(page(response), "errorlist")[0].text_content()
    assert footprint(report) == before


def test_editor_approves_with_the_secrecy_review_confirmed(client, report, clerk, editor):
    submitted(report, clerk)
    response = logged_in(client, editor).get(step_url(report, "approve"))
    assert "提交人" in response.content.decode()
    logged_in(client, editor).post(step_url(report, "approve"), {"secrecy_checked": "on"})
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED
    assert report.events.order_by("-sequence").first().secrecy_checked is True


def test_editor_publishes_now(client, report, clerk, editor):
    approved(report, clerk, editor)
    logged_in(client, editor).post(step_url(report, "publish"), {})
    assert Report.objects.published().filter(pk=report.pk).exists()


def test_schedule_in_shanghai_time(client, report, clerk, editor):
    approved(report, clerk, editor)
    go_live = timezone.localtime() + timedelta(days=3)
    typed = go_live.strftime("%Y-%m-%dT%H:%M")
    response = logged_in(client, editor).post(step_url(report, "schedule"), {"at": typed})
    assert response.status_code == 302
    event = report.events.order_by("-sequence").first()
    assert timezone.localtime(event.effective_at).strftime("%Y-%m-%dT%H:%M") == typed
    assert not Report.objects.published().filter(pk=report.pk).exists()
    with mock.patch("django.utils.timezone.now", return_value=event.effective_at):
        assert Report.objects.published().filter(pk=report.pk).exists()


@pytest.mark.parametrize("at", ["", "2019-01-01T09:00", "明天上午"])
def test_schedule_needs_a_valid_future_time(client, report, clerk, editor, at):
    approved(report, clerk, editor)
    before = footprint(report)
    response = logged_in(client, editor).post(step_url(report, "schedule"), {"at": at})
    assert response.status_code == 200
    assert with_class(page(response), "errorlist") + with_class(page(response), "errornote")
    assert footprint(report) == before


def test_past_schedule_shows_the_services_reason(client, report, clerk, editor):
    approved(report, clerk, editor)
    response = logged_in(client, editor).post(step_url(report, "schedule"), {"at": "2019-01-01T09:00"})
    assert "定时发布时间不能早于当前时间" in with_class(page(response), "errornote")[0].text_content()


def test_withdraw_needs_a_reason_and_can_show_it_to_the_public(client, published_report, editor):
    before = footprint(published_report)
    response = logged_in(client, editor).post(step_url(published_report, "withdraw"), {"reason": ""})
    assert response.status_code == 200
    assert footprint(published_report) == before

    client.post(
        step_url(published_report, "withdraw"), {"reason": "数据有误，更正后重新发布。", "reason_is_public": "on"}
    )
    event = published_report.events.order_by("-sequence").first()
    assert (event.action, event.comment, event.comment_is_public) == (
        WorkflowAction.WITHDRAW,
        "数据有误，更正后重新发布。",
        True,
    )


def test_clerk_posting_to_the_approve_url_is_refused_with_a_message(client, report, clerk):
    submitted(report, clerk)
    other_clerk = factories.make_clerk(report.organization)
    before = footprint(report)
    response = logged_in(client, other_clerk).post(step_url(report, "approve"), {"secrecy_checked": "on"})
    assert response.status_code == 302
    assert response["Location"] == change_url(report)
    assert any("审核人" in message for message in messages_of(response))
    assert footprint(report) == before


def test_four_eyes_refusal_through_the_admin(client, report, editor):
    submitted(report, editor)
    before = footprint(report)
    response = logged_in(client, editor).post(step_url(report, "approve"), {"secrecy_checked": "on"})
    assert any("双人审核" in message for message in messages_of(response))
    assert footprint(report) == before


def test_step_posted_in_the_wrong_state_is_refused(client, report, editor):
    before = footprint(report)
    response = logged_in(client, editor).post(step_url(report, "publish"), {})
    assert any("不能执行此操作" in message for message in messages_of(response))
    assert footprint(report) == before


def test_steps_need_a_csrf_token(report, clerk):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    before = footprint(report)
    response = client.post(step_url(report, "submit"), {})
    assert response.status_code == 403
    assert footprint(report) == before


def test_unknown_step_is_404(client, report, editor):
    assert logged_in(client, editor).get(step_url(report, "delete")).status_code == 404


def test_other_methods_are_not_allowed(client, report, clerk):
    assert logged_in(client, clerk).put(step_url(report, "submit")).status_code == 405


def test_anonymous_visitors_are_sent_to_the_login_page(client, report):
    before = footprint(report)
    response = client.post(step_url(report, "submit"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert footprint(report) == before


# --- Auditors are read-only on the server -------------------------------------------------


@pytest.mark.parametrize("step", list(STEP_LABELS))
@pytest.mark.parametrize("method", ["get", "post"])
def test_auditor_is_refused_every_step(client, published_report, auditor, step, method):
    before = footprint(published_report)
    response = getattr(logged_in(client, auditor), method)(step_url(published_report, step), {"reason": "x"})
    assert response.status_code == 403
    assert footprint(published_report) == before


def test_auditor_cannot_post_the_change_form(client, report, auditor):
    response = logged_in(client, auditor).post(change_url(report), {"title": "审计员改的标题"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.title != "审计员改的标题"


def test_auditor_cannot_add_or_delete(client, report, auditor):
    client = logged_in(client, auditor)
    assert client.get(reverse("admin:reports_report_add")).status_code == 403
    assert client.post(reverse("admin:reports_report_delete", args=[report.pk]), {"post": "yes"}).status_code == 403
    assert Report.objects.filter(pk=report.pk).exists()


def test_auditor_sees_every_organizations_reports(client, report, other_organization, auditor):
    other = factories.make_report(organization=other_organization)
    response = logged_in(client, auditor).get(changelist_url())
    assert {str(report), str(other)} <= set(page(response).xpath("//th[contains(@class,'field-__str__')]//text()"))


# --- Another office's reports do not exist ------------------------------------------------


def test_clerk_of_another_office_does_not_see_the_report_in_the_list(client, report, other_clerk):
    response = logged_in(client, other_clerk).get(changelist_url())
    assert str(report) not in response.content.decode()
    response = client.get(changelist_url(q=report.index_number))
    assert str(report) not in response.content.decode()


def test_another_offices_report_answers_404_like_a_missing_one(client, report, other_clerk):
    client = logged_in(client, other_clerk)
    missing = Report.objects.order_by("-pk").first().pk + 1000
    for path in [
        change_url(report),
        reverse("admin:reports_report_history", args=[report.pk]),
        step_url(report, "submit"),
        reverse("reports:preview", args=[report.pk]),
    ]:
        assert client.get(path).status_code == 404, path
        assert client.get(path.replace(f"/{report.pk}/", f"/{missing}/")).status_code == 404, path


def test_another_offices_report_is_not_offered_by_autocomplete(client, report, other_clerk, clerk):
    query = {"app_label": "reports", "model_name": "section", "field_name": "report", "term": ""}
    url = reverse("admin:autocomplete")
    assert logged_in(client, other_clerk).get(url, query).json()["results"] == []
    results = logged_in(client, clerk).get(url, query).json()["results"]
    assert [result["id"] for result in results] == [str(report.pk)]


def test_view_on_site_shortcut_does_not_reveal_another_offices_report(client, published_report, other_clerk, editor):
    content_type = ContentType.objects.get_for_model(Report)
    url = reverse("admin:view_on_site", args=[content_type.pk, published_report.pk])
    assert logged_in(client, other_clerk).get(url).status_code == 404
    response = logged_in(client, editor).get(url)
    assert response.status_code == 302
    assert response["Location"].endswith(published_report.get_absolute_url())


def test_organization_filter_lists_only_visible_organizations(client, report, other_organization, clerk):
    second_office = factories.make_organization()
    second_office.clerks.add(clerk)
    factories.make_report(organization=second_office, author=clerk)
    factories.make_report(organization=other_organization)
    response = logged_in(client, clerk).get(changelist_url())
    filters = by_id(response, "changelist-filter").text_content()
    assert report.organization.name in filters
    assert second_office.name in filters
    assert other_organization.name not in filters


# --- The list -----------------------------------------------------------------------------


def test_list_shows_state_badges_and_who_holds_the_next_step(client, organization, clerk, editor):
    draft = factories.make_report(organization=organization, author=clerk, year=2018)
    waiting = submitted(factories.make_report(organization=organization, author=clerk, year=2019), clerk)
    live = factories.make_published_report(organization=organization, author=clerk, editor=editor, year=2020)
    response = logged_in(client, editor).get(changelist_url())
    rows = {row.xpath(".//th//a")[0].text_content(): row for row in by_id(response, "result_list").xpath("./tbody/tr")}
    assert with_class(rows[str(draft)], "state-badge--draft")[0].text_content() == "草稿"
    assert with_class(rows[str(waiting)], "state-badge--submitted")[0].text_content() == "待审核"
    assert "待审核人处理" in rows[str(waiting)].text_content()
    assert with_class(rows[str(live)], "state-badge--published")[0].text_content() == "已发布"


def test_list_marks_a_scheduled_publication(client, report, clerk, editor):
    approved(report, clerk, editor)
    services.publish(report=report, user=editor, at=timezone.now() + timedelta(days=1))
    response = logged_in(client, editor).get(changelist_url())
    assert "定时发布" in with_class(page(response), "state-badge--scheduled")[0].text_content()


def test_list_filters_by_state_and_year(client, organization, clerk, editor):
    draft = factories.make_report(organization=organization, author=clerk, year=2018)
    waiting = submitted(factories.make_report(organization=organization, author=clerk, year=2019), clerk)
    client = logged_in(client, editor)
    by_state = client.get(changelist_url(state="submitted")).content.decode()
    assert str(waiting) in by_state
    assert str(draft) not in by_state
    by_year = client.get(changelist_url(year=2018)).content.decode()
    assert str(draft) in by_year
    assert str(waiting) not in by_year


def listed(response) -> set[str]:
    return {link.text_content() for link in by_id(response, "result_list").xpath("./tbody/tr/th//a")}


def test_waiting_for_me_lists_an_editors_reviews(client, organization, other_organization, clerk, editor):
    factories.make_report(organization=organization, author=clerk, year=2018)
    review = submitted(factories.make_report(organization=organization, author=clerk, year=2019), clerk)
    to_publish = approved(factories.make_report(organization=organization, author=clerk, year=2020), clerk, editor)
    other_clerk = factories.make_clerk(other_organization)
    submitted(factories.make_report(organization=other_organization, author=other_clerk), other_clerk)

    response = logged_in(client, editor).get(changelist_url(waiting="me"))
    assert listed(response) == {str(review), str(to_publish)}
    assert "待我处理（2）" in by_id(response, "changelist-filter").text_content()


def test_waiting_for_me_lists_a_clerks_returned_drafts(client, organization, clerk, editor):
    factories.make_report(organization=organization, author=clerk, year=2018)
    returned = submitted(factories.make_report(organization=organization, author=clerk, year=2019), clerk)
    services.return_for_revision(report=returned, user=editor, comment="请修改。")
    response = logged_in(client, clerk).get(changelist_url(waiting="me"))
    assert listed(response) == {str(returned)}
    assert "待起草人修改" in response.content.decode()


# --- Organizations and accounts -----------------------------------------------------------


def test_editor_may_view_organizations_but_not_change_them(client, organization, editor):
    client = logged_in(client, editor)
    url = reverse("admin:reports_organization_change", args=[organization.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "改名街道"}).status_code == 403
    assert client.get(reverse("admin:reports_organization_add")).status_code == 403
    organization.refresh_from_db()
    assert organization.name != "改名街道"


def test_clerk_cannot_open_the_organization_admin(client, organization, clerk):
    url = reverse("admin:reports_organization_changelist")
    assert logged_in(client, clerk).get(url).status_code == 403


def test_superuser_changes_an_organizations_members(client, organization, superuser):
    new_clerk = factories.make_user()
    url = reverse("admin:reports_organization_change", args=[organization.pk])
    data = {
        "name": organization.name,
        "short_name": organization.short_name,
        "slug": organization.slug,
        "code": organization.code,
        "kind": organization.kind,
        "parent": "",
        "sign_off_names": organization.sign_off_names,
        "order": "0",
        "clerks": [str(new_clerk.pk)],
        "editors": [],
    }
    response = logged_in(client, superuser).post(url, data)
    assert response.status_code == 302
    assert list(Organization.objects.get(pk=organization.pk).clerks.all()) == [new_clerk]


def test_editor_given_user_permissions_still_cannot_manage_accounts(client, editor):
    editor.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="auth", codename__in=["view_user", "change_user"])
    )
    client = logged_in(client, editor)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    response = client.post(
        reverse("admin:auth_user_change", args=[editor.pk]),
        {"username": editor.username, "is_superuser": "on", "is_staff": "on", "is_active": "on"},
    )
    assert response.status_code == 403
    editor.refresh_from_db()
    assert not editor.is_superuser
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_superuser_manages_accounts_and_roles(client, superuser):
    client = logged_in(client, superuser)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 200
