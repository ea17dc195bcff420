"""报送上级: the editors of a unit record the date and 文号 as a workflow event."""

from datetime import date, datetime

import pytest
from django.urls import reverse

from reports import services
from reports.duty.deadlines import SHANGHAI
from reports.history.hashchain import event_payload
from reports.models import WorkflowAction
from reports.services import WorkflowError


def test_editor_records_the_date_and_document_number(published_report, editor, clock):
    event = services.report_upward(
        report=published_report, user=editor, sent_on=date(2020, 5, 20), document_number="揭东磐府〔2020〕5号"
    )

    assert event.action == WorkflowAction.REPORT_UPWARD
    assert event.comment == "报送日期：2020年5月20日；文号：揭东磐府〔2020〕5号。"
    assert event.effective_at == datetime(2020, 5, 20, tzinfo=SHANGHAI)
    assert (event.from_state, event.to_state) == ("published", "published")
    approval = published_report.events.get(action=WorkflowAction.APPROVE)
    assert event.revision == approval.revision


def test_the_event_payload_keeps_its_canonical_keys(published_report, editor, clock):
    event = services.report_upward(
        report=published_report, user=editor, sent_on=date(2020, 5, 20), document_number="文号1"
    )

    # README "Canonical form": the date and 文号 live in the comment, never in new keys.
    assert sorted(event_payload(event)) == sorted(
        [
            "report",
            "sequence",
            "actor",
            "action",
            "from_state",
            "to_state",
            "comment",
            "created_at",
            "revision",
            "effective_at",
            "secrecy_checked",
            "comment_is_public",
        ]
    )


@pytest.mark.parametrize(
    ("sent_on", "number", "message"),
    [
        (date(2020, 5, 28), "文号1", "不能晚于今天"),
        (date(2018, 12, 31), "文号1", "不能早于报告年度"),
        (date(2020, 5, 20), "  ", "请填写报送文件的文号"),
    ],
)
def test_bad_input_is_refused_and_nothing_recorded(published_report, editor, clock, sent_on, number, message):
    before = published_report.events.count()

    with pytest.raises(WorkflowError, match=message):
        services.report_upward(report=published_report, user=editor, sent_on=sent_on, document_number=number)

    assert published_report.events.count() == before


def test_a_clerk_cannot_record_it(published_report, clerk, clock):
    with pytest.raises(WorkflowError, match="审核人"):
        services.report_upward(report=published_report, user=clerk, sent_on=date(2020, 5, 20), document_number="1")


def test_a_draft_cannot_be_reported_upward(report, editor, clock):
    with pytest.raises(WorkflowError, match="草稿"):
        services.report_upward(report=report, user=editor, sent_on=date(2020, 5, 20), document_number="1")


def test_the_admin_step_records_it(client, published_report, editor, clock):
    client.force_login(editor)
    url = reverse("admin:reports_report_workflow", kwargs={"object_id": published_report.pk, "step": "report_upward"})

    response = client.post(url, {"sent_on": "2020-05-26", "document_number": "揭东磐府〔2020〕6号", "comment": ""})

    assert response.status_code == 302
    event = published_report.events.get(action=WorkflowAction.REPORT_UPWARD)
    assert "揭东磐府〔2020〕6号" in event.comment


def test_the_admin_step_shows_a_future_date_as_a_form_error(client, published_report, editor, clock):
    client.force_login(editor)
    url = reverse("admin:reports_report_workflow", kwargs={"object_id": published_report.pk, "step": "report_upward"})

    response = client.post(url, {"sent_on": "2020-06-01", "document_number": "揭东磐府〔2020〕6号"})

    assert response.status_code == 200
    assert "报送日期不能晚于今天" in response.content.decode()
    assert not published_report.events.filter(action=WorkflowAction.REPORT_UPWARD).exists()
