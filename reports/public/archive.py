"""Each unit's archive: its published reports by year, and the years it owed a report but published none.

A report on year Y is due by 1 April of Y + 1 (《法治政府建设与责任落实督察工作规定》). Which years a
unit owes is decided by ``owed_years`` alone; for now that is its active years, from its
first published report to the last year whose deadline has passed.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from reports.models import Organization
from reports.public.queries import public_reports

# The last day on which the report on the previous year is on time.
DEADLINE_MONTH, DEADLINE_DAY = 4, 1


def last_due_year(now: datetime | None = None) -> int:
    """The latest report year whose deadline (1 April of the next year, Beijing time) has passed."""
    today = timezone.localtime(now or timezone.now()).date()
    return today.year - 1 if today > date(today.year, DEADLINE_MONTH, DEADLINE_DAY) else today.year - 2


def owed_years(organization: Organization) -> list[int]:
    """The years ``organization`` owed a report, oldest first.

    Its active years: from the year of its first published report to the last year whose
    deadline has passed. (A recorded reporting duty, when there is one, should decide this.)
    """
    first = public_reports().filter(organization=organization).order_by("year").values_list("year", flat=True).first()
    if first is None:
        return []
    return list(range(first, last_due_year() + 1))


@dataclass(frozen=True)
class ArchiveYear:
    """One year of a unit's archive: its published report, or a year owed and not published."""

    year: int
    report: object | None

    @property
    def missing(self) -> bool:
        return self.report is None


def archive(organization: Organization) -> list[ArchiveYear]:
    """Every year the unit published a report or owed one, newest first."""
    published = {report.year: report for report in public_reports().filter(organization=organization)}
    years = sorted(set(published) | set(owed_years(organization)), reverse=True)
    return [ArchiveYear(year=year, report=published.get(year)) for year in years]
