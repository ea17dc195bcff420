"""The annual duty's dates, counted in Beijing time (Asia/Shanghai) whatever the server's zone.

A unit's report for year Y must be public before 1 April of Y+1 (《法治政府建设与责任落实
督察工作规定》); a province may also want it in the superior's hands earlier
(``DUTY_UPWARD_DEADLINE``, e.g. before 1 March). A milestone is kept as its ``due`` day, the
first day that is late: published at 31 March 23:59:59 is on time, at 1 April 00:00:00 it
is one day late, on 2 April two days.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from reports.models import Milestone

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Fixed by the national rule, unlike the superior's own date.
PUBLICATION_DUE = (4, 1)


def local_date(at: datetime) -> date:
    """The calendar day ``at`` falls on in Beijing."""
    return at.astimezone(SHANGHAI).date()


def today() -> date:
    return local_date(timezone.now())


def start_of(day: date) -> datetime:
    """The first instant of ``day`` in Beijing."""
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


@dataclass(frozen=True)
class Deadline:
    """One milestone of one year's report: the first day on which it is late."""

    milestone: str
    year: int
    due: date

    @property
    def label(self) -> str:
        return str(Milestone(self.milestone).label)

    @property
    def last_day(self) -> date:
        """The last day on which the milestone is still met."""
        return self.due - timedelta(days=1)

    @property
    def late_from(self) -> datetime:
        return start_of(self.due)

    def days_left(self, on: date) -> int:
        """Days still available counting ``on`` itself: 1 on the last day, 0 or less once missed."""
        return (self.due - on).days

    def days_late(self, at: datetime) -> int:
        """0 when ``at`` meets the milestone, else how many days late (1 on the due day itself)."""
        if at < self.late_from:
            return 0
        return (local_date(at) - self.due).days + 1

    def days_overdue(self, on: date) -> int:
        """For something still not done on ``on``: how many days it is late already (0 if not yet)."""
        return max(0, (on - self.due).days + 1)


def _parse_month_day(value: str, name: str) -> tuple[int, int]:
    try:
        month, day = (int(part) for part in value.split("-"))
        date(2001, month, day)  # not a leap year: 02-29 would be late some years and not others
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be MM-DD, such as 03-01, not {value!r}") from None
    return month, day


def publication_deadline(year: int) -> Deadline:
    return Deadline(Milestone.PUBLICATION, year, date(year + 1, *PUBLICATION_DUE))


def upward_deadline(year: int) -> Deadline | None:
    """The superior's own date (报送上级), or None when ``DUTY_UPWARD_DEADLINE`` is empty."""
    value = settings.DUTY_UPWARD_DEADLINE.strip()
    if not value:
        return None
    return Deadline(Milestone.UPWARD, year, date(year + 1, *_parse_month_day(value, "DUTY_UPWARD_DEADLINE")))


def deadlines(year: int) -> list[Deadline]:
    """The milestones of ``year``'s report, earliest first."""
    upward = upward_deadline(year)
    return [*([upward] if upward else []), publication_deadline(year)]


def reminder_days() -> list[int]:
    """Days before a milestone on which reminders go, largest first (``DUTY_REMINDER_DAYS``)."""
    try:
        days = {int(part) for part in settings.DUTY_REMINDER_DAYS.split(",") if part.strip()}
    except ValueError:
        raise ImproperlyConfigured(
            f"DUTY_REMINDER_DAYS must be whole numbers separated by commas, not {settings.DUTY_REMINDER_DAYS!r}"
        ) from None
    if any(day < 1 for day in days):
        # The day a milestone is missed is always reminded; 0 would be that day twice.
        raise ImproperlyConfigured("DUTY_REMINDER_DAYS must be 1 or more")
    return sorted(days, reverse=True)


def current_year(on: date | None = None) -> int:
    """The report year whose publication deadline is next (the dashboard's default)."""
    on = on or today()
    return on.year - 1 if on < date(on.year, *PUBLICATION_DUE) else on.year
