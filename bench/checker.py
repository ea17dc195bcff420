"""Time the pre-publication checks: a report of about 200 KB against 10,000 word-list entries and every detector.

The report is a snapshot built from the seed report's own sentences (four parts, items
with rich-text bodies and sub-items, links), sprinkled with things the detectors find:
ID numbers, mobile numbers, bank cards, impossible dates, misspellings. The word list is
the shipped starter list plus generated entries up to ``--entries``: random phrases made
of the seed's own characters (so the automaton is as dense as real Chinese text makes it),
some taken from the text itself (so matches happen), some with exceptions.

Two reports are timed: a "draft" with a finding every few paragraphs (a few hundred in
all), and a "worst case" where a hundred list entries occur in the text and a third of the
paragraphs hold personal data or a wrong date (thousands of findings: the per-finding work,
not the matching, then dominates). Wall-clock and CPU time are both printed: on a shared machine the
first includes waiting for a core. "check" is ``check_content`` on the whole snapshot with
the list already built, as every check after the first in a process runs; building the
automaton is timed apart (once per list change and process). Run from the project root:
``python bench/checker.py [--runs N] [--kilobytes K] [--entries E]``.
"""

import argparse
import os
import random
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

from reports.checking.checker import check_content  # noqa: E402
from reports.checking.models import LinkCheck  # noqa: E402
from reports.checking.wordlists import Word, WordList  # noqa: E402
from reports.models import SectionKind  # noqa: E402

SEED = ROOT / "fixtures" / "seed" / "pandong_2019.txt"
STARTER = ROOT / "reports" / "migrations" / "0006_starter_wordlist.py"
# Things the detectors find, one of them every few sentences.
FINDABLE = [
    "联系人身份证号11010519491231002X。",
    "咨询电话13812345678。",
    "专户卡号6222021234567890128。",
    "于2019年2月30日召开会议。",
    "全面布署专项工作。",
    "原由国家工商行政管理总局负责。",
]


def seed_sentences() -> list[str]:
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    body = [line for line in lines if len(line) > 60 and not re.match(r"[（(]?[一二三四五六七八九十]+[)）、]", line)]
    return [sentence + "。" for line in body for sentence in line.split("。") if sentence]


def build_content(kilobytes: int, rng: random.Random, *, findable: float) -> tuple[dict, int]:
    """A snapshot whose texts hold about ``kilobytes`` KB of UTF-8, and that size in bytes."""
    sentences = seed_sentences()
    target = kilobytes * 1024
    size = 0
    sections = []
    kinds = SectionKind.required()
    per_section = target // len(kinds)
    for kind in kinds:
        items, section_size = [], 0
        while section_size < per_section:
            paragraphs = []
            for _ in range(rng.randint(2, 5)):
                chosen = rng.sample(sentences, 3)
                if rng.random() < findable:
                    chosen.append(rng.choice(FINDABLE))
                paragraphs.append("<p>" + "".join(chosen) + "</p>")
            if rng.random() < 0.1:
                paragraphs.append('<p>详见<a href="https://www.gov.cn/zhengce/">政策文件</a>。</p>')
            body = "".join(paragraphs)
            children = []
            if rng.random() < 0.3:
                children = [{"heading": "细化措施", "body": "<p>" + rng.choice(sentences) + "</p>"}]
            items.append({"heading": rng.choice(sentences)[:20], "body": body, "children": children})
            added = len(body.encode()) + sum(len(child["body"].encode()) for child in children)
            section_size += added
        size += section_size
        sections.append({"kind": kind, "heading": str(kind.label), "intro": "", "items": items})
    content = {
        "year": 2019,
        "title": "磐东街道2019年度法治政府建设情况报告",
        "preamble": "<p>" + sentences[0] + "</p>",
        "sections": sections,
        "signatories": ["磐东街道党工委", "磐东街道办事处"],
        "attachments": [{"name": "IMG_2031.jpg", "content_type": "image/jpeg"}],
    }
    return content, size


def starter_words() -> list[Word]:
    namespace: dict = {}
    exec(compile(STARTER.read_text(encoding="utf-8"), str(STARTER), "exec"), namespace)  # noqa: S102  (our migration)
    return [
        Word(wrong, suggestion, severity, category, note, tuple(exceptions), since_year)
        for wrong, suggestion, severity, category, since_year, exceptions, note in namespace["ENTRIES"]
    ]


def build_words(count: int, rng: random.Random, *, from_text: int) -> list[Word]:
    words = starter_words()
    text = "".join(seed_sentences())
    characters = sorted(set(text) - set("，。、；：“”（）《》"))
    taken = {word.wrong for word in words}
    for _ in range(from_text):
        start = rng.randrange(len(text) - 8)
        phrase = text[start : start + rng.randint(3, 6)]
        if phrase in taken or "。" in phrase:
            continue
        taken.add(phrase)
        exceptions = (phrase + "工作",) if rng.random() < 0.3 else ()
        words.append(Word(phrase, phrase[::-1], "warn", "other", exceptions=exceptions))
    while len(words) < count:
        # Three or more characters: two common characters drawn at random often make a real word.
        phrase = "".join(rng.choices(characters, k=rng.randint(3, 6)))
        if phrase in taken:
            continue
        taken.add(phrase)
        severity = "block" if rng.random() < 0.2 else "warn"
        words.append(Word(phrase, phrase[::-1], severity, "typo", since_year=rng.choice([None, None, 2018])))
    return words


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(name: str, content: dict, wordlist: WordList, runs: int) -> None:
    broken = LinkCheck(url="https://www.gov.cn/zhengce/", ok=False, status=404)
    results = {broken.url: broken}
    wall, cpu, findings = [], [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        findings = check_content(content, wordlist=wordlist, link_results=results)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    print(
        f"{name}: {len(findings)} findings; check_content, {runs} runs: "
        f"p50 {statistics.median(wall):.1f} ms, p99 {percentile(wall, 0.99):.1f} ms, min {min(wall):.1f} ms "
        f"(CPU time p50 {statistics.median(cpu):.1f} ms, p99 {percentile(cpu, 0.99):.1f} ms)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--kilobytes", type=int, default=200)
    parser.add_argument("--entries", type=int, default=10_000)
    args = parser.parse_args()
    for name, from_text, findable in (("draft", 3, 0.05), ("worst case", 100, 0.3)):
        rng = random.Random(17)
        content, size = build_content(args.kilobytes, rng, findable=findable)
        words = build_words(args.entries, rng, from_text=from_text)
        started = time.perf_counter()
        wordlist = WordList(words)
        build_ms = (time.perf_counter() - started) * 1000
        items = sum(len(section["items"]) for section in content["sections"])
        print(
            f"{name}: report of {size / 1024:.0f} KB in {items} items, {len(wordlist)} list entries "
            f"(automaton built in {build_ms:.0f} ms, once per list change and process)"
        )
        timed(name, content, wordlist, args.runs)


if __name__ == "__main__":
    main()
