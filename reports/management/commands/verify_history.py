"""Check every report's history: ``python manage.py verify_history``.

The hash chains of revisions and events are intact; the publication pointer the public
site reads agrees with what the events say is public; no publish event claims to have
taken effect before it was recorded (unless a later event corrects it).
"""

from itertools import count

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.history.hashchain import event_payload, first_break, revision_payload
from reports.history.publication import backdated_publications, pointer_disagreements
from reports.models import Report, Revision, WorkflowEvent


def _counted(records, counter):
    for record in records:
        next(counter)
        yield record


class Command(BaseCommand):
    help = gettext_lazy(
        "核验每份报告的历史版本和流程记录的哈希链、公开版本指针与发布记录是否一致、"
        "有无早于登记时间生效的发布记录；全部正常时输出 OK 和数量，否则逐条指出问题，并以非零状态退出。"
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
        for report_id, by_pointer, by_events in pointer_disagreements():
            problems.append(
                _("报告 %(report)s：公开版本指针为版本 %(pointer)s，发布记录表明应为版本 %(events)s。")
                % {"report": report_id, "pointer": by_pointer or "-", "events": by_events or "-"}
            )
        for event in backdated_publications():
            problems.append(
                _(
                    "报告 %(report)s 的流程记录 %(sequence)s：发布生效时间 %(effective)s"
                    " 早于记录时间 %(created)s，且未更正。"
                )
                % {
                    "report": event.report_id,
                    "sequence": event.sequence,
                    "effective": event.effective_at.isoformat(),
                    "created": event.created_at.isoformat(),
                }
            )
        totals = {"reports": reports.count(), "revisions": next(revisions_seen), "events": next(events_seen)}
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(_("历史记录核验失败：发现 %(count)s 处问题（见上）。") % {"count": len(problems)})
        self.stdout.write(
            _(
                "OK：已核验 %(reports)s 份报告的 %(revisions)s 个历史版本和 %(events)s 条流程记录，"
                "哈希链完整，公开版本与发布记录一致。"
            )
            % totals
        )
