"""Time the importer on a report of about 200 KB: parsing alone, and the whole import.

The text is built from the seed report's own sentences: page chrome at the top, a title
and preamble, then the four required parts with many items, some with 1. 2. sub-items,
and the sign-off. "Whole import" is parsing plus writing the draft, its revision 1 and
the import event, in an in-memory SQLite database (rolled back after each run). Run from
the project root: ``python bench/importer.py [--runs N] [--kilobytes K]``.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from reports.importing.parser import parse_report_text  # noqa: E402
from reports.importing.writer import import_text  # noqa: E402
from reports.models import Organization  # noqa: E402
from reports.numbering import chinese_numeral  # noqa: E402

SEED = ROOT / "fixtures" / "seed" / "pandong_2019.txt"
PARTS = ["主要举措和成效", "存在不足和原因", "党政主要负责人履行推进法治建设第一责任人职责情况", "下一年度工作安排"]


def seed_sentences() -> list[str]:
    """Body sentences of the seed report, without headings, chrome or sign-off."""
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    body = [line for line in lines if len(line) > 60 and not re.match(r"[（(]?[一二三四五六七八九十]+[)）、]", line)]
    return [sentence + "。" for line in body for sentence in line.split("。") if sentence]


def build_text(kilobytes: int) -> str:
    sentences = seed_sentences()
    lines = [
        "揭东区人民政府网站",
        "官方微信",
        "磐东街道2019年度法治政府建设情况报告",
        "来源:本网 发布时间:2020-05-27 16:56 浏览次数:- 【字体: 分享到:",
        sentences[0],
    ]
    per_part = kilobytes * 1024 // len(PARTS)
    cursor = 0
    for part_number, part in enumerate(PARTS, start=1):
        lines.append(f"{chinese_numeral(part_number)}、{part}")
        size = 0
        item = 0
        while size < per_part:
            item += 1
            heading = f"（{chinese_numeral(item)}）{sentences[cursor % len(sentences)][:14]}"
            paragraph = "".join(sentences[(cursor + k) % len(sentences)] for k in range(3))
            added = [heading, paragraph]
            if item % 3 == 0:
                added += [f"{sub}．{sentences[(cursor + sub) % len(sentences)]}" for sub in range(1, 4)]
            lines += added
            size += len("\n".join(added).encode())
            cursor += 4
    lines += ["磐东街道党工委", "磐东街道办事处", "2020年5月27日", "相关附件:"]
    return "\n".join(lines) + "\n"


def timed(function, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each run; CPU time stays honest on a busy machine."""
    wall, cpu = [], []
    for _run in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--kilobytes", type=int, default=200)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("loaddata", str(ROOT / "fixtures" / "0001_organizations.json"), verbosity=0)
    pandong = Organization.objects.get(slug="pandong")
    text = build_text(args.kilobytes)
    parsed = parse_report_text(text)
    items = sum(len(section.items) + sum(len(item.children) for item in section.items) for section in parsed.sections)
    print(f"report text: {len(text.encode()) / 1024:.0f} KB, {len(parsed.sections)} parts, {items} items")

    def whole_import():
        with transaction.atomic():
            import_text(organization=pandong, text=text, user=None, source_name="bench.txt")
            transaction.set_rollback(True)

    whole_import()  # warm up: first queries, template of the snapshot
    for label, function in [("parse", lambda: parse_report_text(text)), ("whole import", whole_import)]:
        wall, cpu = timed(function, args.runs)
        print(
            f"{label:>12}: median {statistics.median(wall) * 1000:7.1f} ms"
            f" (CPU {statistics.median(cpu) * 1000:.1f} ms;"
            f" min {min(wall) * 1000:.1f}, max {max(wall) * 1000:.1f}; {args.runs} runs)"
        )


if __name__ == "__main__":
    main()
