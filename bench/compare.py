"""Time the revision comparison: compute it and render its template for two 50-item revisions.

No database is needed: revisions are JSON snapshots, and the compare view's own work is
``reports.history.compare.compare`` plus the ``_comparison.html`` template. Run from the project
root: ``python bench/compare.py [--runs N]``.
"""

import argparse
import copy
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

django.setup()

from django.template.loader import render_to_string  # noqa: E402
from django.utils import translation  # noqa: E402

from reports.history.compare import compare, html_to_text  # noqa: E402
from reports.models import SectionKind  # noqa: E402

ITEMS = 50
PHRASES = [
    "街道完善各种行政决策制度，严格规范程序。",
    "通过召开现场办公会、创建司法信访途径等平台听取群众呼声。",
    "聘请律师组成社区法律顾问团，为重大决策提供法律咨询意见。",
    "切实发挥审计监督作用，把审计整改成果转化为完善制度的有力抓手。",
    "开展涉及宪法、社区矫正法、扫黑除恶、妇女维权等多内容多形式的法治宣传。",
    "为辖区居民提供法律咨询、法律援助、人民调解、心理疏导等法律服务。",
    "充分发挥网络、微信公众号、小区电子屏等大众新传媒的优势作用。",
    "严格执行合同审查制度，防范合同风险，维护街道合法权益。",
    "依法妥善处理行政复议和行政应诉案件，行政机关负责人出庭应诉。",
    "推进政务公开标准化规范化，及时回应群众关切。",
]


def paragraph(rng: random.Random) -> str:
    return "".join(rng.choice(PHRASES) for _sentence in range(rng.randint(6, 12)))


def make_content(rng: random.Random) -> dict:
    kinds = SectionKind.required()
    sections = [{"kind": kind, "heading": kind.label, "intro": "", "items": []} for kind in kinds]
    for n in range(ITEMS):
        sections[n * len(kinds) // ITEMS]["items"].append(
            {
                "heading": f"第{n + 1}项工作：{rng.choice(PHRASES)[:12]}",
                "body": f"<p>{paragraph(rng)}</p>",
                "children": [],
            }
        )
    return {
        "title": "磐东街道2025年度法治政府建设情况报告",
        "index_number": "ORG0001/2025-00001",
        "source": "本网",
        "signing_date": "2026-03-20",
        "disclosure_mode": "proactive",
        "topic_category": "政府工作/法治政府",
        "tags": ["法治政府"],
        "preamble": f"<p>{paragraph(rng)}</p>",
        "signatories": ["磐东街道党工委", "磐东街道办事处"],
        "attachments": [],
        "sections": sections,
    }


def typical_edit(content: dict, rng: random.Random) -> dict:
    """A correction round: ten items edited, two added, two removed, one heading reworded."""
    new = copy.deepcopy(content)
    items = [(section, index) for section in new["sections"] for index in range(len(section["items"]))]
    for section, index in rng.sample(items, 10):
        body = section["items"][index]["body"]
        cut = rng.randint(10, len(body) - 20)
        section["items"][index]["body"] = body[:cut] + rng.choice(PHRASES) + body[cut + 5 :]
    new["sections"][0]["items"][0]["heading"] += "，推动决策依法民主"
    for section in (new["sections"][1], new["sections"][2]):
        section["items"].pop(1)
        section["items"].insert(0, {"heading": "新增工作", "body": f"<p>{paragraph(rng)}</p>", "children": []})
    return new


def rewrite(content: dict, rng: random.Random) -> dict:
    """The worst case: every item's text replaced."""
    new = make_content(rng)
    new["title"] = content["title"]
    return new


def measure(old: dict, new: dict, runs: int) -> tuple[float, float, float]:
    """Median, worst and mean seconds, each run cold: the view's text cache emptied first."""
    timings = []
    for _run in range(runs):
        html_to_text.cache_clear()
        started = time.perf_counter()
        comparison = compare(old, new)
        render_to_string(
            "admin/reports/report/_comparison.html",
            {"comparison": comparison, "old_label": "第 1 版", "new_label": "第 2 版"},
        )
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), max(timings), sum(timings) / len(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    translation.activate("zh-hans")
    rng = random.Random(2019)  # fixed: the same revisions on every run
    old = make_content(rng)
    size = sum(len(item["body"]) for section in old["sections"] for item in section["items"])
    print(f"compare + render, two revisions of {ITEMS} items ({size:,} characters of body text), {args.runs} runs")
    for label, new in (("typical correction", typical_edit(old, rng)), ("every item rewritten", rewrite(old, rng))):
        median, worst, mean = measure(old, new, args.runs)
        print(f"  {label:<22} median {median * 1000:7.1f} ms   mean {mean * 1000:7.1f} ms   max {worst * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
