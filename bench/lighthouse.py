"""Lighthouse (mobile) on the article page in each reader mode: ``python bench/lighthouse.py``.

Serves the demo data with gunicorn in production mode (DEBUG off, collected static files,
whitenoise, the full middleware stack) on a loopback port, then runs Lighthouse against the
seed article as a phone would see it — as it is, in 关怀版, in 繁體, and in both — and
prints the four category scores with every audit that did not pass.

Lighthouse is not a dependency of the portal or of its tests: the script installs the pinned
version into ``var/lighthouse/`` with npm the first time (Node 20 and Debian's Chromium at
``/usr/bin/chromium``; no browser is downloaded). Targets: accessibility, best practices and
SEO 100, performance at least 95. Exits non-zero when a target is missed.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import production_env  # noqa: E402
from bench.server import Gunicorn  # noqa: E402

LIGHTHOUSE_VERSION = "12.2.3"  # the newest that runs on Node 20
LIGHTHOUSE_DIR = ROOT / "var" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = "/usr/bin/chromium"
ARTICLE = "/reports/2019/pandong/"
MODES = {
    "简体": "",
    "关怀版": "care_mode=on",
    "繁體": "script=hant",
    "关怀版+繁體": "care_mode=on; script=hant",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def ensure_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    if shutil.which("npm") is None:
        sys.exit("lighthouse: npm is needed (apt-get install npm)")
    print(f"== installing lighthouse {LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR}", flush=True)
    LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
    package = f"lighthouse@{LIGHTHOUSE_VERSION}"
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(LIGHTHOUSE_DIR), package], check=True)


def manage(env: dict, *arguments: str) -> None:
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def audit(url: str, cookie: str, report_path: Path) -> dict:
    """One Lighthouse run (mobile emulation and throttling, its defaults); the parsed JSON report."""
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report_path}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    return json.loads(report_path.read_text(encoding="utf-8"))


def shortfalls(report: dict) -> list[str]:
    """Audits that count towards a score and did not pass."""
    found = []
    for category in report["categories"].values():
        for reference in category["auditRefs"]:
            result = report["audits"][reference["id"]]
            if reference["weight"] and result["score"] is not None and result["score"] < 1:
                found.append(f"{category['id']}: {result['id']} ({result['score']}) {result.get('displayValue', '')}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (reports, logs)")
    args = parser.parse_args()
    ensure_lighthouse()
    workdir = Path(tempfile.mkdtemp(prefix="portal-lighthouse-"))
    env = production_env(workdir, f"sqlite:///{workdir / 'portal.sqlite3'}")
    server = Gunicorn(env, workdir, workers=2)
    missed = []
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo_data", "--force")  # demo data under DEBUG=0, on a throwaway database
        manage(env, "collectstatic", "--noinput")
        server.start()
        print(f"{'mode':<12}" + "".join(f"{name:>16}" for name in CATEGORIES), flush=True)
        for mode, cookie in MODES.items():
            report = audit(server.base_url + ARTICLE, cookie, workdir / f"{len(missed)}-{mode}.json")
            scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
            print(f"{mode:<12}" + "".join(f"{scores[name]:>16}" for name in CATEGORIES), flush=True)
            for problem in shortfalls(report):
                print(f"    {problem}")
            missed += [f"{mode} {name} {scores[name]}" for name in CATEGORIES if scores[name] < TARGETS[name]]
    finally:
        server.stop()
        if args.keep:
            print(f"(kept {workdir})")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print("targets: " + ("met" if not missed else "missed: " + ", ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
