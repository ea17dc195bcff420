"""Time the importer on a report of about 200 KB in each format: reading and parsing, and the whole import.

The text is built from the seed report's own sentences: page chrome at the top, a title
and preamble, then the four required parts with many items, some with 1. 2. sub-items,
and the sign-off. The same report is then given as each format a clerk has:

- txt: the text, one paragraph a line;
- flattened txt: the text as a PDF viewer copies it, one line with a space at every wrap;
- docx: a Word file whose headings carry Word's automatic numbering (numbering.xml);
- pdf: a PDF of about --kilobytes laid out with wrapped, indented paragraphs, a running
  header and page numbers (made with reportlab, a test dependency).

"read + parse" is the file to its structure; "whole import" adds writing the draft, its
revision 1 and the import event in an in-memory SQLite database (rolled back after each
run). Run from the project root: ``python bench/importer.py [--runs N] [--kilobytes K]``.
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
from reports.importing.writer import import_upload, read_file  # noqa: E402
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


def flattened(text: str, width: int = 37) -> str:
    """One line with a space wherever a 37-character line wrapped."""
    flat = " ".join(text.splitlines())
    return " ".join(flat[start : start + width] for start in range(0, len(flat), width))


def numbered_docx(text: str) -> bytes:
    from tests.reports.importing.documents import docx_bytes
    from tests.reports.importing.documents import numbered_docx as build

    paragraphs = []
    for line in text.splitlines():
        match = re.match(r"([一二三四五六七八九十]+)、|（([一二三四五六七八九十]+)）", line)
        level = None if match is None else (0 if match[1] else 1)
        paragraphs.append((level, line[match.end() :] if match else line))
    return docx_bytes(build(paragraphs))


def pdf_of(kilobytes: int) -> bytes:
    """A PDF of about ``kilobytes`` laid out like an exported report."""
    from tests.reports.importing.documents import report_blocks, text_pdf

    text = build_text(kilobytes // 2)
    lines = [line for line in text.splitlines()[2:] if not line.startswith(("来源", "相关附件"))]
    data = text_pdf(report_blocks("\n".join(lines)), header=lines[0])
    # Text PDFs of Chinese run close to 2 bytes of file per byte of UTF-8 text: scale once to the size asked.
    scaled = build_text(max(1, round(kilobytes // 2 * kilobytes * 1024 / len(data))))
    lines = [line for line in scaled.splitlines()[2:] if not line.startswith(("来源", "相关附件"))]
    return text_pdf(report_blocks("\n".join(lines)), header=lines[0])


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

    files = [
        ("txt", "bench.txt", text.encode()),
        ("flattened txt", "bench-flat.txt", flattened(text).encode()),
        ("docx", "bench.docx", numbered_docx(text)),
        ("pdf", "bench.pdf", pdf_of(args.kilobytes)),
    ]
    for label, name, data in files:

        def whole_import(name=name, data=data):
            with transaction.atomic():
                import_upload(organization=pandong, name=name, data=data, user=None)
                transaction.set_rollback(True)

        sections = len(read_file(name=name, data=data).parsed.sections)
        whole_import()  # warm up: first queries, template of the snapshot
        print(f"{label} ({len(data) / 1024:.0f} KB file, {sections} parts)")
        for step, function in [("read + parse", lambda name=name, data=data: read_file(name=name, data=data)),
                               ("whole import", whole_import)]:  # fmt: skip
            wall, cpu = timed(function, args.runs)
            print(
                f"  {step:>12}: median {statistics.median(wall) * 1000:7.1f} ms"
                f" (CPU {statistics.median(cpu) * 1000:.1f} ms;"
                f" min {min(wall) * 1000:.1f}, max {max(wall) * 1000:.1f}; {args.runs} runs)"
            )


if __name__ == "__main__":
    main()
