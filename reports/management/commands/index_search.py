"""Write the search index of published revisions: ``python manage.py index_search [--rebuild]``.

Publishing indexes a revision, and ``migrate`` indexes any published revision that is not
(a database from before the index). ``--rebuild`` drops the whole index and writes it again,
for after a change to what is indexed or how (``reports/search/text.py``, ``postings.py``).
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.models import SearchPosting, SearchTerm, SearchText
from reports.search.indexing import index_missing, serialized


class Command(BaseCommand):
    help = gettext_lazy("为已发布（含定时发布）的报告版本建立站内搜索索引；--rebuild 清空后全部重建。")

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help=gettext_lazy("清空现有索引后重建。"))

    def handle(self, *args, rebuild: bool, **options):
        if rebuild:
            with transaction.atomic():
                serialized()
                for model in (SearchPosting, SearchText, SearchTerm):
                    model.objects.all().delete()
        indexed = index_missing()
        self.stdout.write(_("已为 %(count)d 个公开版本建立搜索索引。") % {"count": indexed})
