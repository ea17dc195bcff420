"""Reminders: before each milestone and on the day it is missed, each sent once, each recorded."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from reports.duty import reminders
from reports.duty.deadlines import publication_deadline, upward_deadline
from reports.duty.reminders import due_milestones
from reports.models import Reminder
from tests import factories
from tests.reports.duty.conftest import beijing


@pytest.fixture
def units(district):
    """Two streets owing the 2019 report, each with a clerk and an editor, and a street that published."""
    late, other = (factories.make_organization(parent=district, reports_annually=True) for _ in range(2))
    people = {unit: (factories.make_clerk(unit), factories.make_editor(unit)) for unit in (late, other)}
    return late, other, people


def run():
    call_command("send_deadline_reminders", stdout=open("/dev/null", "w"))


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2020, 3, 2), [("publication", 30)]),
        (date(2020, 3, 5), [("publication", 30)]),
        (date(2020, 3, 18), [("publication", 14)]),
        (date(2020, 3, 31), [("publication", 1)]),
        (date(2020, 4, 1), [("publication", 0)]),
        (date(2020, 4, 30), [("publication", 0)]),
        (date(2020, 5, 1), []),
        (date(2020, 2, 1), []),
    ],
)
def test_which_reminder_is_due_on_a_day(settings, on, expected):
    settings.DUTY_UPWARD_DEADLINE = ""

    assert [(deadline.milestone, days) for deadline, days in due_milestones(on)] == expected


def test_the_upward_milestone_has_its_own_reminders(settings):
    settings.DUTY_UPWARD_DEADLINE = "03-01"

    due = due_milestones(date(2020, 2, 23))

    assert due == [(upward_deadline(2019), 7)]
    assert due_milestones(date(2020, 3, 2)) == [(upward_deadline(2019), 0), (publication_deadline(2019), 30)]


def test_running_twice_on_a_day_sends_once(clock, units, inspector, settings):
    settings.DUTY_UPWARD_DEADLINE = ""
    late, other, people = units
    clock.now = beijing(2020, 3, 18, 7, 0)

    run()
    first = len(mail.outbox)
    run()

    # Two units × (clerk + editor), and one digest for the inspector.
    assert first == 5
    assert len(mail.outbox) == 5
    assert Reminder.objects.count() == 5
    digest = Reminder.objects.get(kind="digest")
    assert (digest.recipient, digest.organization, digest.days_before) == (inspector, None, 14)
    assert late.name in digest.body and other.name in digest.body
    clerk_mail = next(message for message in mail.outbox if message.to == [people[late][0].email])
    assert clerk_mail.subject == f"【提醒】{late.name}2019年度报告向社会公开还剩 14 天"


def test_each_offset_is_sent_once_and_the_missed_day_once(clock, units, settings):
    settings.DUTY_UPWARD_DEADLINE = ""
    late, _other, people = units
    clerk = people[late][0]
    for day in [date(2020, 3, d) for d in range(1, 32)] + [date(2020, 4, d) for d in range(1, 4)]:
        clock.now = beijing(day.year, day.month, day.day, 7, 0)
        run()

    offsets = list(Reminder.objects.filter(recipient=clerk).order_by("sent_at").values_list("days_before", flat=True))
    assert offsets == [30, 14, 7, 1, 0]


def test_a_unit_that_published_gets_no_reminder(clock, units, settings):
    settings.DUTY_UPWARD_DEADLINE = ""
    late, other, people = units
    clock.now = beijing(2020, 3, 10)
    factories.make_published_report(organization=other, year=2019)
    mail.outbox.clear()
    clock.now = beijing(2020, 3, 18, 7, 0)

    run()

    assert {message.to[0] for message in mail.outbox} == {people[late][0].email, people[late][1].email}


def test_a_mail_failure_records_nothing_and_the_next_run_retries(clock, units, settings, monkeypatch):
    settings.DUTY_UPWARD_DEADLINE = ""
    clock.now = beijing(2020, 3, 18, 7, 0)

    def refuse(*args, **kwargs):
        raise OSError("mail server down")

    working = reminders.send_mail
    monkeypatch.setattr(reminders, "send_mail", refuse)
    with pytest.raises(CommandError, match="下次运行时会重试"):
        run()
    assert not Reminder.objects.exists()

    monkeypatch.setattr(reminders, "send_mail", working)
    run()
    assert Reminder.objects.count() == 4


def test_dry_run_sends_and_records_nothing(clock, units, capsys, settings):
    settings.DUTY_UPWARD_DEADLINE = ""
    clock.now = beijing(2020, 3, 18, 7, 0)

    call_command("send_deadline_reminders", "--dry-run")

    assert "将发送 4 封提醒" in capsys.readouterr().out
    assert (len(mail.outbox), Reminder.objects.count()) == (0, 0)


def test_a_bad_setting_is_a_command_error(db, settings, clock):
    settings.DUTY_REMINDER_DAYS = "soon"

    with pytest.raises(CommandError, match="DUTY_REMINDER_DAYS"):
        run()


def test_an_inspector_sees_the_reminders_of_their_units_read_only(client, clock, units, inspector, settings):
    settings.DUTY_UPWARD_DEADLINE = ""
    clock.now = beijing(2020, 3, 18, 7, 0)
    run()
    stranger = factories.make_organization(reports_annually=True)
    factories.make_clerk(stranger)
    client.force_login(inspector)

    page = client.get(reverse("admin:reports_reminder_changelist"))

    assert page.status_code == 200
    assert len(page.context["cl"].result_list) == 5
    assert stranger.name not in page.content.decode()
    reminder = Reminder.objects.first()
    assert client.post(reverse("admin:reports_reminder_delete", args=[reminder.pk])).status_code == 403
