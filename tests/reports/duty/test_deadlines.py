"""The duty's dates in Beijing time: the last second of 31 March is on time, the first of 1 April is late."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from reports.duty import deadlines
from reports.duty.deadlines import SHANGHAI, publication_deadline, upward_deadline

BEIJING = SHANGHAI


def test_publication_is_due_before_1_april_of_the_next_year():
    deadline = publication_deadline(2019)

    assert (deadline.due, deadline.last_day) == (date(2020, 4, 1), date(2020, 3, 31))


@pytest.mark.parametrize(
    ("at", "days_late"),
    [
        (datetime(2020, 3, 31, 23, 59, 59, tzinfo=BEIJING), 0),
        (datetime(2020, 3, 31, 15, 59, 59, 999999, tzinfo=UTC), 0),
        (datetime(2020, 4, 1, 0, 0, 0, tzinfo=BEIJING), 1),
        (datetime(2020, 3, 31, 16, 0, 0, tzinfo=UTC), 1),
        (datetime(2020, 4, 2, 23, 59, tzinfo=BEIJING), 2),
        (datetime(2020, 1, 5, tzinfo=BEIJING), 0),
    ],
)
def test_days_late_are_counted_in_beijing(at, days_late):
    assert publication_deadline(2019).days_late(at) == days_late


@pytest.mark.parametrize(
    ("on", "left", "overdue"),
    [(date(2020, 3, 2), 30, 0), (date(2020, 3, 31), 1, 0), (date(2020, 4, 1), 0, 1), (date(2020, 4, 10), -9, 10)],
)
def test_days_left_and_overdue(on, left, overdue):
    deadline = publication_deadline(2019)

    assert (deadline.days_left(on), deadline.days_overdue(on)) == (left, overdue)


def test_the_upward_milestone_is_configurable(settings):
    settings.DUTY_UPWARD_DEADLINE = "02-15"

    assert upward_deadline(2019).due == date(2020, 2, 15)


def test_an_empty_upward_setting_turns_the_milestone_off(settings):
    settings.DUTY_UPWARD_DEADLINE = ""

    assert upward_deadline(2019) is None
    assert [deadline.milestone for deadline in deadlines.deadlines(2019)] == ["publication"]


@pytest.mark.parametrize("value", ["3/1", "02-30", "02-29", "march"])
def test_a_bad_upward_setting_names_itself(settings, value):
    settings.DUTY_UPWARD_DEADLINE = value

    with pytest.raises(ImproperlyConfigured, match="DUTY_UPWARD_DEADLINE"):
        upward_deadline(2019)


def test_reminder_days_come_largest_first(settings):
    settings.DUTY_REMINDER_DAYS = "7, 30,1,14"

    assert deadlines.reminder_days() == [30, 14, 7, 1]


@pytest.mark.parametrize("value", ["7,x", "0,7"])
def test_bad_reminder_days_are_refused(settings, value):
    settings.DUTY_REMINDER_DAYS = value

    with pytest.raises(ImproperlyConfigured, match="DUTY_REMINDER_DAYS"):
        deadlines.reminder_days()


@pytest.mark.parametrize(
    ("on", "year"), [(date(2020, 3, 31), 2019), (date(2020, 4, 1), 2020), (date(2020, 12, 31), 2020)]
)
def test_the_default_year_is_the_one_whose_deadline_is_next(on, year):
    assert deadlines.current_year(on) == year
