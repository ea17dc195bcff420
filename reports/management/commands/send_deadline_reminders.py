"""Send the annual duty's reminders that are due today; meant to run once a day (see README)."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports.duty.reminders import send_reminders


class Command(BaseCommand):
    help = "发送年度报告截止提醒（每天运行一次；重复运行不会重复发送）。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出将要发送的提醒，不发送也不记录。")

    def handle(self, *args, dry_run: bool, **options):
        try:
            outcome = send_reminders(dry_run=dry_run)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        for reminder in outcome.sent:
            self.stdout.write(f"{reminder.email}\t{reminder.subject}")
        summary = _("%(verb)s %(sent)d 封提醒，%(already)d 封此前已发送，%(failed)d 封发送失败。") % {
            "verb": _("将发送") if dry_run else _("已发送"),
            "sent": len(outcome.sent),
            "already": outcome.already_sent,
            "failed": outcome.failed,
        }
        self.stdout.write(summary)
        if outcome.failed:
            raise CommandError(_("有提醒未能发送，下次运行时会重试。"))
