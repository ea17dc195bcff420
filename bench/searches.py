"""Searches no cache has seen: phrases drawn from the published text, each asked for once over HTTP.

The wrk row "search" repeats one phrase, which the page cache answers after the first time.
These rows measure the search itself: for each kind of phrase, ``PER_KIND`` different
phrases, each requested once, one after the other, from the running server. Phrases are
taken at random places of random published reports' text (so common words come up as often
as residents would type them), Han characters only, as a resident types them; "nothing" are
phrases of rare characters that no report holds; "last page" asks for the last page of the
results of a two-character phrase, which holds the most results.
"""

import random
import statistics
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlencode

PER_KIND = 40
WARMUP = 16
SEED = 19
LENGTHS = {"search 1 char": 1, "search 2 chars": 2, "search 3 chars": 3, "search 6 chars": 6}
RARE = "鑫淼焱垚犇骉麤靐龘燚猋羴驫鱻厵"
TARGET_P50_MS, TARGET_P99_MS = 30, 100


@dataclass
class Kind:
    name: str
    paths: list[str]
    times_ms: list[float] = field(default_factory=list)
    body_bytes: list[int] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p99_ms(self) -> float:
        return statistics.quantiles(self.times_ms, n=100, method="inclusive")[98]

    def met(self) -> bool:
        return self.p50_ms <= TARGET_P50_MS and self.p99_ms <= TARGET_P99_MS


def _sampled_phrases(rng: random.Random, length: int, count: int, taken: set[str]) -> list[str]:
    from reports.models import SearchText
    from reports.search.corpus import current
    from reports.search.vocabulary import is_han

    revisions = current().revision_ids.tolist()
    found: list[str] = []
    while len(found) < count:
        sample = rng.sample(revisions, min(50, len(revisions)))
        for text in SearchText.objects.filter(revision_id__in=sample).values_list("text", flat=True):
            if len(text) < length:
                continue
            start = rng.randrange(len(text) - length + 1)
            phrase = text[start : start + length]
            if is_han(phrase) and phrase not in taken:
                taken.add(phrase)
                found.append(phrase)
                if len(found) == count:
                    break
    return found


def _count(phrase: str) -> int:
    from reports.search.corpus import current
    from reports.search.engine import Filters
    from reports.search.results import search

    return search(phrase, Filters(), 1, current()).count


def plan(search_path: str) -> tuple[list[str], list[Kind]]:
    """Warm-up paths, then the kinds of uncached searches with their paths (Django set up, database ready)."""
    from reports.search.results import PER_PAGE

    rng = random.Random(SEED)
    taken: set[str] = set()
    warmup = [f"{search_path}?{urlencode({'q': phrase})}" for phrase in _sampled_phrases(rng, 2, WARMUP, taken)]
    kinds = []
    for name, length in LENGTHS.items():
        phrases = _sampled_phrases(rng, length, PER_KIND, taken)
        kinds.append(Kind(name, [f"{search_path}?{urlencode({'q': phrase})}" for phrase in phrases]))
    nothing = set()
    while len(nothing) < PER_KIND:
        phrase = "".join(rng.sample(RARE, 4))
        if phrase not in nothing and _count(phrase) == 0:
            nothing.add(phrase)
    kinds.append(Kind("search nothing", [f"{search_path}?{urlencode({'q': phrase})}" for phrase in sorted(nothing)]))
    last = []
    for phrase in _sampled_phrases(rng, 2, PER_KIND, taken):
        pages = max(1, -(-_count(phrase) // PER_PAGE))
        last.append(f"{search_path}?{urlencode({'q': phrase, 'page': pages})}")
    kinds.append(Kind("search last page", last))
    return warmup, kinds


def _get(url: str) -> None:
    with urllib.request.urlopen(url) as response:  # noqa: S310 - our loopback server
        response.read()


def run(base_url: str, warmup: list[str], kinds: list[Kind], workers: int) -> None:
    """Ask for every path once, one at a time, timing each from request to the last byte.

    First each worker reads the corpus of the public state (once per publication in
    service): the warm-up searches go ``workers`` at a time, so that every worker gets some.
    """
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_get, [base_url + path for path in warmup]))
    for kind in kinds:
        for path in kind.paths:
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(base_url + path) as response:  # noqa: S310
                    body = response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                body, status = b"", error.code
            kind.times_ms.append((time.perf_counter() - started) * 1000)
            kind.body_bytes.append(len(body))
            kind.statuses.append(status)
