"""How each unit stands on its report for a year.

``duty_rows`` is the one source of the deadline dashboard, its exports, the public 公开情况
page and the reminders, so none of them can count differently.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.duty.deadlines import Deadline, local_date, publication_deadline, upward_deadline
from reports.duty.publication import first_public_times
from reports.models import Organization, Report, ReportState, WorkflowAction, WorkflowEvent
from reports.services import with_last_step

NOT_STARTED = "not_started"
STATE_LABELS = {NOT_STARTED: gettext_lazy("未起草"), **{state.value: state.label for state in ReportState}}

ON_TIME, LATE, PENDING, OVERDUE = "on_time", "late", "pending", "overdue"
STANDING_LABELS = {
    ON_TIME: gettext_lazy("按时"),
    LATE: gettext_lazy("逾期完成"),
    PENDING: gettext_lazy("未到截止日"),
    OVERDUE: gettext_lazy("逾期未完成"),
}


@dataclass(frozen=True)
class Progress:
    """Where one milestone stands for one unit on day ``on``."""

    deadline: Deadline
    done_at: datetime | None
    on: date

    @property
    def standing(self) -> str:
        if self.done_at is not None:
            return ON_TIME if self.deadline.days_late(self.done_at) == 0 else LATE
        return OVERDUE if self.deadline.days_overdue(self.on) else PENDING

    @property
    def is_late(self) -> bool:
        return self.standing in (LATE, OVERDUE)

    @property
    def days_late(self) -> int:
        if self.done_at is not None:
            return self.deadline.days_late(self.done_at)
        return self.deadline.days_overdue(self.on)

    @property
    def days_left(self) -> int | None:
        """Days left counting today, while the milestone is still ahead and not done."""
        return self.deadline.days_left(self.on) if self.standing == PENDING else None

    @property
    def label(self) -> str:
        standing = self.standing
        if standing == ON_TIME:
            return _("按时")
        if standing == LATE:
            return _("逾期 %(days)s 天") % {"days": self.days_late}
        if standing == OVERDUE:
            return _("已逾期 %(days)s 天，尚未完成") % {"days": self.days_late}
        return _("剩余 %(days)s 天") % {"days": self.days_left}


@dataclass(frozen=True)
class DutyRow:
    """One unit's report for one year, as the dashboard, the exports and the public page show it."""

    organization: Organization
    year: int
    report: Report | None
    state: str
    next_step: str
    is_public: bool
    publication: Progress
    upward: Progress | None

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def published_at(self) -> datetime | None:
        """When the report first became public on this portal."""
        return self.publication.done_at

    @property
    def public_url(self) -> str | None:
        return self.report.get_absolute_url() if self.is_public else None

    @property
    def imported_published_at(self) -> datetime | None:
        """When an imported report went public on its old site: shown, never counted as on time."""
        return self.report.imported_published_at if self.report else None


def _next_step(report: Report | None, scheduled_at: datetime | None) -> str:
    """Who holds the next step, in the words of the report list's 下一步 column."""
    if report is None:
        return _("待起草人起草")
    if report.state == ReportState.DRAFT:
        return _("待起草人修改") if report.last_step == WorkflowAction.RETURN else _("待起草人提交")
    if report.state == ReportState.SUBMITTED:
        return _("待审核人审核")
    if report.state == ReportState.APPROVED:
        return _("待审核人发布")
    if report.state == ReportState.WITHDRAWN:
        return _("待起草人修改后重新提交")
    if scheduled_at is not None:
        return _("定时发布 %(time)s") % {"time": date_format(timezone.localtime(scheduled_at), "Y-m-d H:i")}
    return "—"


def _reports(year: int, organization_ids: list[int], at: datetime):
    first_upward = WorkflowEvent.objects.filter(report=OuterRef("pk"), action=WorkflowAction.REPORT_UPWARD).order_by(
        "effective_at", "pk"
    )
    reports = with_last_step(Report.objects.filter(year=year, organization__in=organization_ids))
    return reports.with_public_revision(at).annotate(upward_at=Subquery(first_upward.values("effective_at")[:1]))


def duty_rows(year: int, *, organizations=None, at: datetime | None = None) -> list[DutyRow]:
    """Every unit that owes a report for ``year`` (within ``organizations``, if given), as of ``at``."""
    at = at or timezone.now()
    on = local_date(at)
    units = Organization.objects.owing_report(year).select_related("parent")
    if organizations is not None:
        units = units.filter(pk__in=organizations.values("pk"))
    units = list(units)
    reports = {report.organization_id: report for report in _reports(year, [unit.pk for unit in units], at)}
    first_public = first_public_times([report.pk for report in reports.values()], at)
    publication, upward = publication_deadline(year), upward_deadline(year)
    rows = []
    for unit in units:
        report = reports.get(unit.pk)
        if report is not None:
            report.organization = unit
        scheduled_at = None
        if report is not None and report.pending_at is not None and report.pending_at > at:
            scheduled_at = report.pending_at
        upward_at = report.upward_at if report is not None else None
        rows.append(
            DutyRow(
                organization=unit,
                year=year,
                report=report,
                state=report.state if report is not None else NOT_STARTED,
                next_step=_next_step(report, scheduled_at),
                is_public=report is not None and report.public_revision_id is not None,
                publication=Progress(publication, first_public.get(report.pk) if report else None, on),
                upward=Progress(upward, upward_at if upward_at and upward_at <= at else None, on) if upward else None,
            )
        )
    return rows


def filter_rows(rows: list[DutyRow], *, kind="", parent=None, state="", standing="") -> list[DutyRow]:
    """The dashboard's filters: the unit's kind and superior, the report's state, the publication's standing."""
    return [
        row
        for row in rows
        if (not kind or row.organization.kind == kind)
        and (parent is None or row.organization.parent_id == parent)
        and (not state or row.state == state)
        and (not standing or row.publication.standing == standing)
    ]


@dataclass(frozen=True)
class Totals:
    owing: int
    by_state: dict[str, int]
    by_standing: dict[str, int]
    upward_by_standing: dict[str, int] | None

    @property
    def published(self) -> int:
        return self.by_standing[ON_TIME] + self.by_standing[LATE]

    @property
    def standings(self) -> list[tuple[str, str, int]]:
        """(key, label, count) of the publication standings, in the order pages show them."""
        return [(key, str(label), self.by_standing[key]) for key, label in STANDING_LABELS.items()]

    @property
    def states(self) -> list[tuple[str, str, int]]:
        return [(key, str(label), self.by_state[key]) for key, label in STATE_LABELS.items()]

    @property
    def upward_standings(self) -> list[tuple[str, str, int]]:
        if self.upward_by_standing is None:
            return []
        return [(key, str(label), self.upward_by_standing[key]) for key, label in STANDING_LABELS.items()]


def totals(rows: list[DutyRow]) -> Totals:
    """The counts at the top of the dashboard and the public page, from the very rows they list."""

    def count(values, keys) -> dict[str, int]:
        values = list(values)
        return {key: values.count(key) for key in keys}

    has_upward = bool(rows) and rows[0].upward is not None
    return Totals(
        owing=len(rows),
        by_state=count((row.state for row in rows), STATE_LABELS),
        by_standing=count((row.publication.standing for row in rows), STANDING_LABELS),
        upward_by_standing=count((row.upward.standing for row in rows), STANDING_LABELS) if has_upward else None,
    )
