"""`make bench`: how fast the public pages are, next to the static-file floor of the same server.

Builds (or reuses) a database with the demo data and 2,400 generated published reports
(``--scale 10``: 24,000, as a province's portal for all its districts holds), starts gunicorn
in production mode (DEBUG off, the real middleware stack, whitenoise, 2 workers) on a
loopback port, and measures with wrk, interleaved A B C … A B C: a static file as large as
the article, the article, home, the list by year, the unit index, a region's page, a
search, the feed, the sitemap index, and the open data API's list and detail. Then searches
no cache has seen, each phrase asked for once (``bench/searches.py``). It checks that every
response was 200 and that the article's view count rose by exactly the number of article
responses the server wrote (its access log), and prints the table with the targets and each
page's size. PostgreSQL when DATABASE_URL points at one, else SQLite.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import dataset, searches  # noqa: E402
from bench.databases import bench_database  # noqa: E402
from bench.server import ensure_wrk  # noqa: E402
from tests.servers import Gunicorn, production_env  # noqa: E402

FLOOR_FILE = "bench-floor.html"
WARMUP_SECONDS = 2
LIST_YEAR = 2022


@dataclass
class Page:
    name: str
    path: str
    min_ratio: float | None = None
    max_p99_ms: float | None = None
    max_p50_ms: float | None = None
    runs: list[dict] = field(default_factory=list)
    body_bytes: int = 0

    def median(self, key: str) -> float:
        return statistics.median(run[key] for run in self.runs)

    @property
    def rps(self) -> float:
        return statistics.median(run["requests"] / (run["duration_us"] / 1e6) for run in self.runs)

    @property
    def p50_ms(self) -> float:
        return self.median("p50_us") / 1000

    @property
    def p99_ms(self) -> float:
        """The worst round's p99: a tail target should hold in every round."""
        return max(run["p99_us"] for run in self.runs) / 1000

    def target_text(self) -> str:
        parts = []
        if self.min_ratio is not None:
            parts.append(f"≥{self.min_ratio:g}× floor")
        if self.max_p99_ms is not None:
            parts.append(f"p99≤{self.max_p99_ms:g} ms")
        if self.max_p50_ms is not None:
            parts.append(f"p50≤{self.max_p50_ms:g} ms")
        return ", ".join(parts) or "(the floor)"

    def met(self, floor_rps: float) -> bool | None:
        checks = []
        if self.min_ratio is not None:
            checks.append(self.rps >= self.min_ratio * floor_rps)
        if self.max_p99_ms is not None:
            checks.append(self.p99_ms <= self.max_p99_ms)
        if self.max_p50_ms is not None:
            checks.append(self.p50_ms <= self.max_p50_ms)
        return all(checks) if checks else None


def page_paths() -> dict[str, str]:
    from django.urls import NoReverseMatch, reverse

    from reports.public.queries import publishing_units, regions

    region = regions(publishing_units())[-1]  # a district and its units
    wanted = {
        "article": (
            "reports:report_detail",
            {"year": dataset.ARTICLE_YEAR, "org": dataset.ARTICLE_ORGANIZATION_SLUG},
            "",
        ),
        "home": ("reports:home", {}, ""),
        "list by year": ("reports:report_list", {}, f"?year={LIST_YEAR}"),
        "unit index": ("reports:unit_index", {}, ""),
        "region": ("reports:unit_region", {"slug": region.slug}, ""),
        "search": ("reports:search", {}, f"?q={quote(dataset.SEARCH_QUERY)}"),
        "feed": ("reports:feed", {}, ""),
        "sitemap": ("reports:sitemap", {}, ""),
        "api list": ("opendata:report_list", {}, f"?year={LIST_YEAR}"),
        "api detail": (
            "opendata:report_detail",
            {"year": dataset.ARTICLE_YEAR, "org": dataset.ARTICLE_ORGANIZATION_SLUG},
            "",
        ),
    }
    paths = {}
    for name, (url_name, kwargs, query) in wanted.items():
        try:
            paths[name] = reverse(url_name, kwargs=kwargs) + query
        except NoReverseMatch:
            print(f"  {name}: no URL named {url_name} yet; not measured", flush=True)
    return paths


def clear_caches() -> None:
    """Empty every cache the portal renders through, as after a deploy."""
    from django.core.cache import caches

    from reports.public import caching

    for alias in caches:
        caches[alias].clear()
    caching.clear_local_caches()


def in_process_measurements(paths: dict[str, str]) -> dict:
    """Render time from a cold cache, SQL queries per warm article view, the search index's size."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from reports.models import Report, SearchPosting, SearchText

    client = Client()
    facts = {"status": {}}
    article = paths["article"]
    started = time.perf_counter()
    response = client.get(article)
    facts["first_render_ms"] = (time.perf_counter() - started) * 1000
    facts["status"]["article"] = response.status_code
    clear_caches()
    started = time.perf_counter()
    client.get(article)
    facts["cold_render_ms"] = (time.perf_counter() - started) * 1000
    for _ in range(3):
        response = client.get(article)
    facts["article_html"] = response.content
    with CaptureQueriesContext(connection) as queries:
        client.get(article)
    facts["queries"] = [query["sql"] for query in queries.captured_queries]
    for name, path in paths.items():
        facts["status"][name] = client.get(path).status_code
    facts["published"] = Report.objects.published().count()
    facts["postings"] = SearchPosting.objects.count()
    facts["search_texts"] = SearchText.objects.count()
    return facts


def article_view_count() -> int:
    from django.db import connections

    from reports.models import Report
    from reports.public import counter

    counter.buffer().write()  # the views this process's own requests counted (in-process measurements)
    count = Report.objects.values_list("view_count", flat=True).get(
        organization__slug=dataset.ARTICLE_ORGANIZATION_SLUG, year=dataset.ARTICLE_YEAR
    )
    connections.close_all()
    return count


def run_wrk(wrk: str, url: str, *, seconds: int, connections: int, threads: int) -> dict:
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "summary.lua"),
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    return json.loads(line.removeprefix("BENCH "))


def verdict(ok: bool | None) -> str:
    return "" if ok is None else ("met" if ok else "NOT MET")


def print_table(pages: list[Page], floor: Page) -> None:
    header = f"{'page':<17} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'bytes':>7} {'× floor':>8}  {'target':<28} result"
    print(header)
    print("-" * len(header))
    for page in pages:
        ratio = page.rps / floor.rps if floor.rps else 0
        print(
            f"{page.name:<17} {page.rps:>8.0f} {page.p50_ms:>7.2f} {page.p99_ms:>7.2f} {page.body_bytes:>7} "
            f"{ratio:>8.2f}  {page.target_text():<28} {verdict(page.met(floor.rps))}"
        )


def print_search_table(kinds: list) -> None:
    for kind in kinds:
        target = f"p50≤{searches.TARGET_P50_MS} ms, p99≤{searches.TARGET_P99_MS} ms"
        size = int(statistics.median(kind.body_bytes))
        print(
            f"{kind.name:<17} {'':>8} {kind.p50_ms:>7.2f} {kind.p99_ms:>7.2f} {size:>7} {'':>8}  {target:<28} "
            f"{verdict(kind.met())}  ({len(kind.times_ms)} phrases, uncached)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, database)")
    parser.add_argument(
        "--scale", type=int, default=1, help="data: 300 × SCALE organizations × 8 years (10: 24,000 reports)"
    )
    args = parser.parse_args()

    started = time.monotonic()
    wrk = ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    database = bench_database(workdir, args.scale)
    env = production_env(workdir, database.url)
    print(f"== database: {database.vendor}, scale {args.scale}", flush=True)
    database.prepare(env)
    try:
        return measure(args, wrk, workdir, database, env, started)
    finally:
        database.drop()
        if args.keep:
            print(f"(kept {workdir})")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def measure(args, wrk: str, workdir: Path, database, env: dict, started: float) -> int:
    os.environ.update(env)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)
    paths = page_paths()
    if "article" not in paths:
        print("bench: the article URL does not exist yet; nothing to measure")
        return 1
    print("== in-process: cold render, queries per view, search index", flush=True)
    facts = in_process_measurements(paths)
    print("== choosing searches no cache has seen", flush=True)
    search_warmup, search_kinds = searches.plan(paths["search"].split("?")[0])
    floor_path = Path(env["STATIC_ROOT"]) / FLOOR_FILE
    floor_path.write_bytes(facts["article_html"])

    pages = [Page("static floor", f"/static/{FLOOR_FILE}")]
    targets = {
        "article": {"min_ratio": 0.5, "max_p99_ms": 15},
        "home": {"min_ratio": 0.3},
        "list by year": {"min_ratio": 0.3},
        "unit index": {"min_ratio": 0.3},
        "region": {"min_ratio": 0.3},
        "search": {"max_p50_ms": 50},
        "feed": {"min_ratio": 0.3},
        "sitemap": {},
        "api list": {"min_ratio": 0.3},
        "api detail": {"min_ratio": 0.3},
    }
    for name, path in paths.items():
        if facts["status"][name] != 200:
            print(f"  {name}: {path} answers {facts['status'][name]} in-process; not measured", flush=True)
            continue
        pages.append(Page(name, path, **targets[name]))
    floor = pages[0]

    views_before = article_view_count()
    server = Gunicorn(env, workdir, workers=args.workers)
    print(f"== gunicorn: {args.workers} workers on {server.base_url}; wrk -t{args.threads} -c{args.connections}")
    server.start(ready_path=floor.path)
    wrk_counted = {floor.path: 1}  # the readiness probe
    drained = 0
    try:
        for page in pages:
            run = run_wrk(
                wrk,
                server.base_url + page.path,
                seconds=WARMUP_SECONDS,
                connections=args.connections,
                threads=args.threads,
            )
            wrk_counted[page.path] = wrk_counted.get(page.path, 0) + run["requests"]
            drained += server.drain(floor.path)
        for round_number in range(1, args.rounds + 1):
            for page in pages:
                run = run_wrk(
                    wrk,
                    server.base_url + page.path,
                    seconds=args.seconds,
                    connections=args.connections,
                    threads=args.threads,
                )
                page.runs.append(run)
                wrk_counted[page.path] += run["requests"]
                drained += server.drain(floor.path)
                print(
                    f"  round {round_number} {page.name:<13} {run['requests'] / (run['duration_us'] / 1e6):>7.0f} req/s"
                    f"  p50 {run['p50_us'] / 1000:.2f} ms  p99 {run['p99_us'] / 1000:.2f} ms",
                    flush=True,
                )
        for page in pages:
            with urllib.request.urlopen(server.base_url + page.path) as response:  # noqa: S310
                page.body_bytes = len(response.read())
            wrk_counted[page.path] += 1
        wrk_counted[floor.path] += drained
        print(f"== searches no cache has seen: {searches.PER_KIND} phrases of each kind, one at a time", flush=True)
        searches.run(server.base_url, search_warmup, search_kinds, args.workers)
        rss = server.peak_rss_mb()
    finally:
        server.stop()
    views_after = article_view_count()
    served = server.served()

    print()
    print(
        f"== results ({database.vendor}, {facts['published']} published reports, {args.rounds} rounds × "
        f"{args.seconds} s, {args.connections} connections, median req/s and p50, worst-round p99; "
        f"load average {' '.join(f'{load:.1f}' for load in os.getloadavg())})"
    )
    print_table(pages, floor)
    print_search_table(search_kinds)
    print()

    article = next(page for page in pages if page.name == "article")
    article_served = sum(count for (path, status), count in served.items() if path == article.path)
    not_ok = {key: count for key, count in served.items() if key[1] != "200"}
    wrk_errors = sum(run["non2xx"] + run["socket_errors"] for page in pages for run in page.runs)
    counted = views_after - views_before
    # wrk stops mid-flight: the server may answer up to one request per connection per run
    # that wrk no longer reads. The access log is the server's own record of what it wrote.
    runs_per_page = args.rounds + 1
    wrk_consistent = all(
        wrk_counted[page.path]
        <= sum(c for (p, _), c in served.items() if p == page.path)
        <= wrk_counted[page.path] + runs_per_page * args.connections
        for page in pages
    )
    search_ok = all(status == 200 for kind in search_kinds for status in kind.statuses)
    all_ok = not not_ok and wrk_errors == 0 and wrk_consistent and search_ok
    exact = counted == article_served
    print(
        f"every response 200:        {all_ok}  (access log statuses: {dict(status_totals(served))}, wrk non-2xx "
        f"and socket errors: {wrk_errors}, wrk counts within the log's: {wrk_consistent})  {verdict(all_ok)}"
    )
    print(
        f"article views counted:     {counted} in the database for {article_served} article responses served"
        f"  {verdict(exact)}"
    )
    queries = facts["queries"]
    print(f"SQL queries / article view: {len(queries)} once warm (target ≤ 2)  {verdict(len(queries) <= 2)}")
    for sql in queries:
        print(f"    {sql[:160]}")
    print(
        f"peak RSS per worker:       {', '.join(f'{mb:.0f} MB' for mb in rss)} (target ≤ 120 MB)  "
        f"{verdict(all(mb <= 120 for mb in rss))}"
    )
    print(
        f"40-item article render:    {facts['cold_render_ms']:.1f} ms from a cold cache "
        f"(first request of a fresh process, templates included: {facts['first_render_ms']:.1f} ms)"
    )
    print(
        f"search index:              {facts['search_texts']} texts, {facts['postings']} posting rows "
        f"(the wrk row 'search' repeats one phrase: the page cache; the 'search …' rows never repeat one)"
    )
    print(f"total time: {time.monotonic() - started:.0f} s")
    # Speed depends on the machine; wrong answers do not: only those fail the run.
    return 0 if all_ok and exact else 1


def status_totals(served: Counter) -> Counter:
    statuses = Counter()
    for (_, status), count in served.items():
        statuses[status] += count
    return statuses


if __name__ == "__main__":
    sys.exit(main())
