"""Erase the contact details residents left with their error reports, once kept long enough.

``python manage.py erase_correction_contacts`` (run it daily, e.g. from cron or a systemd
timer) erases the contact of every 纠错 sent more than ``CORRECTION_RETENTION_DAYS`` ago;
``--days N`` overrides the setting for one run.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import services


class Command(BaseCommand):
    help = gettext_lazy("删除超过保存期限（CORRECTION_RETENTION_DAYS 天）的纠错留言中的联系方式。")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help=_("保存天数，默认取 CORRECTION_RETENTION_DAYS 的设置。"))

    def handle(self, *args, days=None, **options):
        days = settings.CORRECTION_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError(_("保存天数不能为负数。"))
        erased = services.erase_expired_contacts(retention=timedelta(days=days))
        self.stdout.write(
            _("已删除 %(count)s 条纠错留言的联系方式（保存期限 %(days)s 天）。") % {"count": erased, "days": days}
        )
