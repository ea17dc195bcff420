"""What the public sees beside what staff are editing: "公开版本 第 N 版；工作稿 草稿 第 M 版".

A published report that someone edits becomes a draft while its last published revision
stays public, so every admin screen that shows a state shows both: the public version
(from the publication pointer, the same rule as ``Report.objects.published()``) and the
working copy (its state and latest revision). The numbers are subqueries of the screen's
own query (``with_version_numbers``), so a list pays nothing per row for them.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reports.models import Report, ReportState, Revision

TIME_FORMAT = "Y-m-d H:i"


def with_version_numbers(reports):
    """The publication (``ReportQuerySet.with_publication``) and ``public_number``, ``scheduled_number``
    and ``working_number`` (revision numbers)."""
    numbers = Revision.objects.order_by().values("number")
    return reports.with_publication().annotate(
        public_number=Subquery(numbers.filter(pk=OuterRef("public_revision_id"))),
        scheduled_number=Subquery(numbers.filter(pk=OuterRef("scheduled_revision_id"))),
        working_number=Subquery(numbers.filter(report=OuterRef("pk")).order_by("-number")[:1]),
    )


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), TIME_FORMAT)


@dataclass(frozen=True)
class Versions:
    public_number: int | None
    public_since: datetime | None
    scheduled_number: int | None
    scheduled_at: datetime | None
    working_number: int | None
    working_state: str
    working_state_label: str

    @property
    def working_is_public(self) -> bool:
        return self.working_state == ReportState.PUBLISHED and self.working_number == self.public_number

    @property
    def edits_not_public(self) -> bool:
        """The report is (or will be) public, and the working copy holds changes the public does not see."""
        shown = self.public_number or self.scheduled_number
        return shown is not None and self.working_number != shown

    @property
    def public_text(self) -> str:
        if self.public_number is None:
            text = _("未公开")
        else:
            text = _("第 %(number)s 版（%(time)s 起公开）") % {
                "number": self.public_number,
                "time": _when(self.public_since),
            }
        if self.scheduled_number is not None:
            text += _("；第 %(number)s 版定时于 %(time)s 公开") % {
                "number": self.scheduled_number,
                "time": _when(self.scheduled_at),
            }
        return text

    @property
    def working_text(self) -> str:
        if self.working_is_public:
            return _("与公开版本相同")
        return _("%(state)s，第 %(number)s 版") % {"state": self.working_state_label, "number": self.working_number}


def versions_of(report: Report) -> Versions:
    """The public and working versions of a report read through ``with_version_numbers``."""
    return Versions(
        public_number=report.public_number,
        public_since=report.public_since,
        scheduled_number=report.scheduled_number,
        scheduled_at=report.scheduled_at,
        working_number=report.working_number,
        working_state=report.state,
        working_state_label=report.get_state_display(),
    )


def edit_notice(report: Report) -> str | None:
    """After a save: say that the public still sees the old version, if it does."""
    current = versions_of(with_version_numbers(Report.objects.filter(pk=report.pk)).get())
    if not current.edits_not_public:
        return None
    shown = current.public_number or current.scheduled_number
    return _(
        "修改已保存为第 %(working)s 版（%(state)s），公众看到的仍是第 %(public)s 版。"
        "修改需提交审核、审核通过并发布后才会公开。"
    ) % {"working": current.working_number, "state": current.working_state_label, "public": shown}
