"""Check a text before it goes out: ``python manage.py check_text PATH|- [--year YEAR]``.

Prints one JSON object a line, ``{"start", "end", "text", "kind", "severity", "suggestion",
"rule"}``, with offsets (in characters) into the decoded text, and exits with status 1
when a block-level finding exists, 2 when the input cannot be read, 0 otherwise.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.checking.checker import check_text
from reports.checking.wordlists import current_wordlist
from reports.dates import EARLIEST_YEAR, LATEST_YEAR

ENCODINGS = ("utf-8-sig", "gb18030")


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else GB18030 as Chinese Windows saves text."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CommandError(_("无法识别文字编码，请另存为 UTF-8 编码的文本文件。"), returncode=2)


class Command(BaseCommand):
    help = gettext_lazy(
        "检查一段文字中的错误表述、过时名称、个人信息和结构问题，每行输出一个 JSON 对象；"
        "有“必须修改”的问题时以状态 1 退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("要检查的文本文件；“-”表示从标准输入读取"))
        parser.add_argument(
            "--year",
            type=int,
            help=_("文字所述的年度，用于限定年份的词条和标题年度；不填则所有词条都适用"),
        )

    def handle(self, *args, path: str, year: int | None, **options):
        if year is not None and not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise CommandError(
                _("年度应在 %(first)s 到 %(last)s 之间。") % {"first": EARLIEST_YEAR, "last": LATEST_YEAR},
                returncode=2,
            )
        text = decode(self._read(path))
        findings = check_text(text, wordlist=current_wordlist(), year=year)
        for finding in findings:
            self.stdout.write(json.dumps(finding.as_json(), ensure_ascii=False))
        blocking = sum(1 for finding in findings if finding.blocks)
        if blocking:
            raise CommandError(
                _("发现 %(count)s 处必须修改的问题。") % {"count": blocking},
                returncode=1,
            )

    def _read(self, path: str) -> bytes:
        if path == "-":
            return sys.stdin.buffer.read()
        try:
            with open(path, "rb") as stream:
                return stream.read()
        except OSError as error:
            raise CommandError(
                _("无法读取文件 %(path)s：%(error)s") % {"path": path, "error": error.strerror}, returncode=2
            ) from None
