"""The checks in the admin: findings beside the report, 忽略 and 放行 pages, the hint on save, the word-list screens."""

import lxml.html
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reports import services
from reports.checking.models import WordListAction, WordListChange, WordListEntry
from reports.checking.review import review
from reports.models import ReportState, WorkflowAction
from tests import factories

pytestmark = pytest.mark.django_db

ID_NUMBER = "<p>联系人身份证号11010519491231002X。</p>"
TYPO = "<p>全面布署今年的工作。</p>"


def change_url(report) -> str:
    return reverse("admin:reports_report_change", args=[report.pk])


def panel(response):
    return lxml.html.fromstring(response.content.decode()).get_element_by_id("checks-panel")


def panel_buttons(response) -> list[str]:
    return [link.text_content().strip() for link in panel(response).xpath(".//a[contains(@class, 'checks-button')]")]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def other_editor(organization):
    return factories.make_editor(organization)


def test_the_report_page_lists_each_finding_in_its_sentence_with_the_suggestion(client, report, clerk):
    factories.edit_report(report, user=clerk, preamble=TYPO + ID_NUMBER)
    client.force_login(clerk)
    findings = panel(client.get(change_url(report))).xpath(".//li[contains(@class, 'finding')]")
    assert [finding.xpath("string(.//mark)") for finding in findings] == ["布署", "11010519491231002X"]
    assert findings[0].xpath("string(.//*[@class='finding__context'])") == "全面布署今年的工作。"
    assert "建议：部署" in findings[0].text_content() and "导语" in findings[0].text_content()


def test_a_clean_report_says_so(client, report, clerk):
    client.force_login(clerk)
    assert "未发现问题" in panel(client.get(change_url(report))).text_content()


def test_drafters_may_ignore_warnings_and_editors_override_blocks(client, report, clerk, editor):
    factories.edit_report(report, user=clerk, preamble=TYPO + ID_NUMBER)
    client.force_login(clerk)
    assert panel_buttons(client.get(change_url(report))) == ["忽略"]
    client.force_login(editor)
    assert panel_buttons(client.get(change_url(report))) == ["放行", "忽略"]


def test_auditors_read_the_findings_and_press_nothing(client, report, clerk, auditor):
    factories.edit_report(report, user=clerk, preamble=TYPO + ID_NUMBER)
    client.force_login(auditor)
    response = client.get(change_url(report))
    assert "布署" in panel(response).text_content() and panel_buttons(response) == []
    (finding,) = review(report).warnings
    ignore = reverse("admin:reports_report_checks_ignore", args=[report.pk, finding.fingerprint])
    assert client.post(ignore, {"reason": "理由"}).status_code == 403
    assert (
        client.post(reverse("admin:reports_report_checks_override", args=[report.pk]), {"reason": "理由"}).status_code
        == 403
    )


def test_ignoring_a_warning_in_the_admin_needs_a_reason(client, report, clerk):
    factories.edit_report(report, user=clerk, preamble=TYPO)
    (finding,) = review(report).warnings
    url = reverse("admin:reports_report_checks_ignore", args=[report.pk, finding.fingerprint])
    client.force_login(clerk)
    assert "必填项" in client.post(url, {"reason": ""}).content.decode()
    response = client.post(url, {"reason": "引用文件原文。"})
    assert response.status_code == 302 and messages_of(response) == ["已忽略这条提醒。"]
    assert report.ignored_findings.get().reason == "引用文件原文。"


def test_a_block_level_finding_has_no_ignore_page(client, report, clerk):
    factories.edit_report(report, user=clerk, preamble=ID_NUMBER)
    (finding,) = review(report).blocking
    client.force_login(clerk)
    assert (
        client.get(reverse("admin:reports_report_checks_ignore", args=[report.pk, finding.fingerprint])).status_code
        == 404
    )


def test_overriding_in_the_admin_records_the_event(client, report, clerk, editor):
    factories.edit_report(report, user=clerk, preamble=ID_NUMBER)
    client.force_login(editor)
    url = reverse("admin:reports_report_checks_override", args=[report.pk])
    assert "<mark>11010519491231002X</mark>" in client.get(url).content.decode()
    response = client.post(url, {"reason": "示例号码，非真实身份信息。"})
    assert response.status_code == 302
    event = report.events.get(action=WorkflowAction.OVERRIDE_CHECK)
    assert event.actor == editor and "示例号码" in event.comment
    services.submit_for_review(report=report, user=clerk)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_the_submitter_gets_403_on_the_override_page(client, organization, editor, other_editor):
    report = factories.make_report(organization=organization, author=editor)
    services.submit_for_review(report=report, user=editor)
    factories.edit_report(report, user=other_editor, preamble=ID_NUMBER)
    client.force_login(editor)
    assert client.get(reverse("admin:reports_report_checks_override", args=[report.pk])).status_code == 403


def test_reports_of_other_units_answer_404_on_the_check_pages(client, report, other_clerk):
    client.force_login(other_clerk)
    assert client.get(reverse("admin:reports_report_checks_override", args=[report.pk])).status_code == 404


def test_saving_shows_a_hint_when_the_checks_find_something(client, report, clerk):
    client.force_login(clerk)
    document = lxml.html.fromstring(client.get(change_url(report)).content.decode())
    data = {
        name: value
        for name, value in document.get_element_by_id("report_form").form_values()
        if "__prefix__" not in name and "-empty-" not in name
    }
    data["preamble"] = TYPO
    response = client.post(change_url(report), data)
    assert response.status_code == 302
    assert messages_of(response)[-1] == "发布前检查发现 0 处必须修改的问题、1 处提醒，详见报告页面上的“发布前检查”。"


# --- Word lists -----------------------------------------------------------------------------


def entry_data(**overrides) -> dict:
    return {
        "wrong": "按装",
        "suggestion": "安装",
        "severity": "warn",
        "category": "typo",
        "since_year": "",
        "exceptions": "",
        "note": "",
        **overrides,
    }


def test_an_editor_adds_an_entry_in_the_admin_and_the_change_is_recorded(client, editor):
    client.force_login(editor)
    response = client.post(reverse("admin:reports_wordlistentry_add"), entry_data())
    assert response.status_code == 302
    change = WordListChange.objects.get(wrong="按装")
    assert (change.action, change.actor, change.after["suggestion"]) == (WordListAction.ADD, editor, "安装")


def test_an_editor_deletes_entries_in_bulk_and_each_is_recorded(client, editor):
    client.force_login(editor)
    entries = WordListEntry.objects.filter(wrong__in=["布署", "按排"])
    response = client.post(
        reverse("admin:reports_wordlistentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk for entry in entries], "post": "yes"},
    )
    assert response.status_code == 302
    assert not WordListEntry.objects.filter(wrong__in=["布署", "按排"]).exists()
    assert set(WordListChange.objects.filter(action="delete").values_list("wrong", flat=True)) == {"布署", "按排"}


def test_auditors_read_the_word_lists_and_change_nothing(client, auditor):
    client.force_login(auditor)
    entry = WordListEntry.objects.get(wrong="布署")
    assert client.get(reverse("admin:reports_wordlistentry_changelist")).status_code == 200
    assert client.get(reverse("admin:reports_wordlistchange_changelist")).status_code == 200
    assert client.post(reverse("admin:reports_wordlistentry_add"), entry_data()).status_code == 403
    client.post(reverse("admin:reports_wordlistentry_change", args=[entry.pk]), entry_data(wrong="布署"))
    entry.refresh_from_db()
    assert entry.suggestion == "部署"


def test_clerks_do_not_see_the_word_lists(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("admin:reports_wordlistentry_changelist")).status_code == 403
    assert "检查词表" not in client.get(reverse("admin:index")).content.decode()
