"""The benchmark's throwaway database: a copy of a cached, generated one.

Generating 2,400 reports takes a while (24,000 at ``--scale 10`` a good deal longer), so the
result is kept, one per scale (SQLite: a file under the git-ignored var/bench/; PostgreSQL: a
template database beside the one DATABASE_URL names) and reused while the generator, the
migrations, the indexing code and the fixtures are unchanged. Each run works on a fresh copy,
because the run itself changes view counts.
"""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / "var" / "bench"
KEY_SOURCES = [
    "bench/dataset.py",
    "reports/history",
    "reports/models.py",
    # What the search index holds and how it is written (not how it is read).
    "reports/search/models.py",
    "reports/search/text.py",
    "reports/search/postings.py",
    "reports/search/indexing.py",
    "reports/search/vocabulary.py",
    "reports/search/glossary.txt",
    "reports/sanitize.py",
    "reports/migrations",
    "reports/management/commands",
    "fixtures",
]


def dataset_key(scale: int) -> str:
    """Changes whenever anything that shapes the generated database changes; names the scale."""
    digest = hashlib.sha256()
    for source in KEY_SOURCES:
        path = ROOT / source
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(str(file.relative_to(ROOT)).encode())
                digest.update(file.read_bytes())
    return f"s{scale}_{digest.hexdigest()[:12]}"


def _generate(database_url: str, env: dict, scale: int) -> None:
    started = time.monotonic()
    print(f"  generating the dataset (cached afterwards) into {_redacted(database_url)} …", flush=True)
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "dataset.py")],
        env={**env, "DATABASE_URL": database_url, "BENCH_SCALE": str(scale)},
        cwd=ROOT,
        check=True,
    )
    print(f"  generated in {time.monotonic() - started:.0f} s", flush=True)


def _redacted(url: str) -> str:
    if url.startswith("sqlite:"):
        return url
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
    return urlunsplit(parts)


class SQLiteDatabase:
    vendor = "sqlite"

    def __init__(self, workdir: Path, scale: int):
        self.path = workdir / "bench.sqlite3"
        self.url = f"sqlite:///{self.path}"
        self.scale = scale

    def prepare(self, env: dict) -> None:
        key = dataset_key(self.scale)
        cached = CACHE_DIR / f"dataset-{key}.sqlite3"
        if not cached.exists():
            CACHE_DIR.mkdir(parents=True, exist_ok=True)
            for old in CACHE_DIR.glob(f"dataset-s{self.scale}_*.sqlite3*"):
                old.unlink()
            building = cached.with_suffix(".building")
            building.unlink(missing_ok=True)
            _generate(f"sqlite:///{building}", env, self.scale)
            with sqlite3.connect(building) as connection:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                connection.execute("PRAGMA journal_mode=DELETE")
            building.rename(cached)
        else:
            print(f"  reusing the cached dataset {cached.relative_to(ROOT)}", flush=True)
        shutil.copyfile(cached, self.path)

    def drop(self) -> None:
        for path in self.path.parent.glob(self.path.name + "*"):
            path.unlink()


class PostgreSQLDatabase:
    """A database named <name>_bench on the server DATABASE_URL points at, copied from a template."""

    vendor = "postgresql"

    def __init__(self, server_url: str, scale: int):
        parts = urlsplit(server_url)
        self.scale = scale
        self.server_url = server_url
        self.name = parts.path.lstrip("/")
        self.run_name = f"{self.name}_bench"
        self.url = urlunsplit(parts._replace(path=f"/{self.run_name}"))

    def _url_for(self, name: str) -> str:
        return urlunsplit(urlsplit(self.server_url)._replace(path=f"/{name}"))

    def _execute(self, *statements: str) -> list:
        import psycopg

        with psycopg.connect(self.server_url, autocommit=True) as connection:
            results = []
            for statement in statements:
                cursor = connection.execute(statement)
                results.append(cursor.fetchall() if cursor.description else None)
            return results

    def prepare(self, env: dict) -> None:
        template = f"{self.name}_bench_{dataset_key(self.scale)}"
        existing = {
            row[0]
            for row in self._execute(
                f"SELECT datname FROM pg_database WHERE datname LIKE '{self.name}\\_bench\\_s{self.scale}\\_%'"  # noqa: S608
            )[0]
        }
        for stale in existing - {template}:
            self._execute(f'DROP DATABASE IF EXISTS "{stale}"')
        if template not in existing:
            self._execute(f'CREATE DATABASE "{template}"')
            try:
                _generate(self._url_for(template), env, self.scale)
            except BaseException:
                self._execute(f'DROP DATABASE IF EXISTS "{template}"')
                raise
        else:
            print(f"  reusing the cached dataset (template database {template})", flush=True)
        self._execute(
            f'DROP DATABASE IF EXISTS "{self.run_name}"', f'CREATE DATABASE "{self.run_name}" TEMPLATE "{template}"'
        )

    def drop(self) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.run_name}" WITH (FORCE)')


def bench_database(workdir: Path, scale: int = 1):
    """PostgreSQL when DATABASE_URL points at one, else SQLite in ``workdir``."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url.startswith(("postgres://", "postgresql://")):
        return PostgreSQLDatabase(url, scale)
    if url:
        sys.exit(f"bench: DATABASE_URL must be a PostgreSQL URL or unset (SQLite), not {_redacted(url)!r}")
    return SQLiteDatabase(workdir, scale)
