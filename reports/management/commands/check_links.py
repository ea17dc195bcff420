"""Check the links of report texts in the background: ``python manage.py check_links`` (run by cron).

Fetches every http(s) address linked from a report's latest or public revision that was
not checked within ``--max-age-hours``, with a timeout, and stores the answers the report
pages then show. Nothing on a web request ever fetches a link.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.checking import links
from reports.checking.models import LinkCheck


class Command(BaseCommand):
    help = gettext_lazy("检查报告正文中的链接能否打开，保存结果供报告页面的“发布前检查”显示。")

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-age-hours", type=float, default=24, help=_("这么多小时内检查过的链接不再检查（默认 24）")
        )
        parser.add_argument("--timeout", type=float, default=links.DEFAULT_TIMEOUT, help=_("每个链接等待的秒数"))
        parser.add_argument("--workers", type=int, default=4, help=_("同时检查的链接数"))
        parser.add_argument(
            "--allow-private-addresses",
            action="store_true",
            help=_("也访问内网地址（仅用于内网部署的网站）；默认不访问，并视为公众无法打开"),
        )

    def handle(self, *args, max_age_hours: float, timeout: float, workers: int, allow_private_addresses: bool, **kw):
        if max_age_hours < 0 or timeout <= 0 or not 1 <= workers <= 32:
            raise CommandError(_("--max-age-hours 不能为负数，--timeout 须大于 0，--workers 应在 1 到 32 之间。"))
        urls = links.linked_urls()
        fresh_since = timezone.now() - timedelta(hours=max_age_hours)
        fresh = set(LinkCheck.objects.filter(url__in=urls, checked_at__gte=fresh_since).values_list("url", flat=True))
        results = links.check_and_store(
            urls - fresh, timeout=timeout, workers=workers, allow_private=allow_private_addresses
        )
        broken = sorted(url for url, result in results.items() if not result.ok)
        for url in broken:
            result = results[url]
            self.stdout.write(f"  ✗ {url} {result.status or ''} {result.error}".rstrip())
        self.stdout.write(
            _("链接 %(total)s 个：本次检查 %(checked)s 个，其中 %(broken)s 个无法打开；%(fresh)s 个近期已检查。")
            % {"total": len(urls), "checked": len(results), "broken": len(broken), "fresh": len(fresh)}
        )
