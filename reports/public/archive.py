"""Each unit's archive: its published reports by year, and the years it owed a report but published none.

A report on year Y must be public before 1 April of Y + 1 (《法治政府建设与责任落实督察工作规定》). Which years a
unit owed is decided by ``owed_years`` alone, from the reporting duty the rule-of-law office
records for each unit (``Organization.owes_report``).
"""

from dataclasses import dataclass

from reports.duty.deadlines import current_year
from reports.models import Organization
from reports.public.queries import public_reports


def last_due_year() -> int:
    """The latest report year whose deadline (before 1 April of the next year, Beijing time) has passed."""
    return current_year() - 1


def owed_years(organization: Organization) -> list[int]:
    """The years ``organization`` owed a report and whose deadline has passed, oldest first.

    From the first year of its recorded duty, or, without one, from its first published
    report; each year counts only if the duty covered it (a unit merged away stops owing).
    """
    first = organization.reporting_from
    if first is None:
        reports = public_reports().filter(organization=organization).order_by("year")
        first = reports.values_list("year", flat=True).first()
    if first is None:
        return []
    return [year for year in range(first, last_due_year() + 1) if organization.owes_report(year)]


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
