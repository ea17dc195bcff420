"""Check every public report again and tell editors what is new: ``python manage.py rescan_published``.

Meant for cron, daily (and after a word list changes); running it twice sends nothing twice.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.checking.public import rescan_published


class Command(BaseCommand):
    help = gettext_lazy("用当前的检查词表和规则重新检查所有已公开的报告，把新发现的问题发邮件告诉各单位的审核人。")

    def handle(self, *args, **options):
        result = rescan_published()
        self.stdout.write(
            _(
                "已检查 %(reports)s 份已公开的报告：新发现 %(found)s 处问题，本次通知了 %(told)s 处；"
                "%(untold)s 处因没有可通知的审核人或邮件发送失败，下次运行时再通知。"
            )
            % {"reports": result.reports, "found": result.found, "told": result.told, "untold": result.untold}
        )
