"""Check every report's history chains: ``python manage.py verify_history``."""

from itertools import count

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.hashchain import event_payload, first_break, revision_payload
from reports.models import Report, Revision, WorkflowEvent


def _counted(records, counter):
    for record in records:
        next(counter)
        yield record


class Command(BaseCommand):
    help = gettext_lazy(
        "核验每份报告的历史版本和流程记录的哈希链；全部完整时输出 OK 和数量，"
        "否则指出每条链上第一条对不上的记录，并以非零状态退出。"
    )

    def handle(self, *args, **options):
        revisions_seen, events_seen = count(), count()
        problems = []
        reports = Report.objects.order_by("pk").only("pk", "index_number", "title", "organization_id", "year")
        for report in reports.iterator():
            chains = [
                (
                    _("历史版本"),
                    Revision.objects.filter(report_id=report.pk).order_by("number"),
                    revision_payload,
                    "number",
                    revisions_seen,
                ),
                (
                    _("流程记录"),
                    WorkflowEvent.objects.filter(report_id=report.pk).order_by("sequence"),
                    event_payload,
                    "sequence",
                    events_seen,
                ),
            ]
            for label, records, payload, position, seen in chains:
                broken = first_break(_counted(records.iterator(), seen), payload=payload, position=position)
                if broken is None:
                    continue
                # Count the rest of the chain too, so the totals stay meaningful.
                for _record in _counted(records.filter(**{f"{position}__gt": broken.position}).iterator(), seen):
                    pass
                problems.append(
                    _("报告 %(report)s（索引号 %(index)s）的%(chain)s：序号 %(position)s（id %(id)s）：%(reason)s")
                    % {
                        "report": report.pk,
                        "index": report.index_number,
                        "chain": label,
                        "position": broken.position,
                        "id": broken.record.pk,
                        "reason": broken.reason,
                    }
                )
        totals = {"reports": reports.count(), "revisions": next(revisions_seen), "events": next(events_seen)}
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(_("哈希链核验失败：发现 %(count)s 处问题（见上）。") % {"count": len(problems)})
        self.stdout.write(
            _("OK：已核验 %(reports)s 份报告的 %(revisions)s 个历史版本和 %(events)s 条流程记录，哈希链完整。") % totals
        )
