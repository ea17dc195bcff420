"""Backup and restore of the `make bench` dataset: archive size and the time of each step.

    python bench/backup.py            # SQLite (the cached dataset under var/bench/)
    DATABASE_URL=postgres://… python bench/backup.py

The dataset's attachment rows get placeholder files (random bytes, at most --file-kb each)
so the archive carries media too; real attachments add their own size to the archive and
their copying time to both steps.
"""

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.databases import ROOT, SQLiteDatabase, bench_database
from tests.servers import production_env


def manage(env: dict, *arguments: str) -> tuple[float, str]:
    """Seconds the command took, and what it printed."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return time.monotonic() - started, result.stdout.strip()


def placeholder_files(database_url: str, media: Path, cap: int) -> tuple[int, int]:
    """A file for every attachment row of the dataset; (count, bytes)."""
    if database_url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            rows = db.execute("SELECT file, size FROM reports_attachment").fetchall()
    else:
        import psycopg

        with psycopg.connect(database_url) as db:
            rows = db.execute("SELECT file, size FROM reports_attachment").fetchall()
    total = 0
    for name, size in rows:
        path = media / name
        path.parent.mkdir(parents=True, exist_ok=True)
        content = secrets.token_bytes(min(size, cap))
        path.write_bytes(content)
        total += len(content)
    return len(rows), total


def fresh_database(work: Path, database) -> tuple[str, object]:
    """(URL, drop) of an empty database beside the dataset's."""
    if isinstance(database, SQLiteDatabase):
        return f"sqlite:///{work / 'restored.sqlite3'}", lambda: None
    import psycopg

    name = f"{database.name}_restored"
    url = database.url.rsplit("/", 1)[0] + "/" + name

    def execute(*statements):
        with psycopg.connect(database.server_url, autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)

    execute(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    return url, lambda: execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file-kb", type=int, default=64, help="largest placeholder attachment (KB)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="portal-bench-backup-") as work:
        work = Path(work)
        database = bench_database(work)
        env = production_env(work, database.url)
        database.prepare(env)
        drop_restored = None
        try:
            files, file_bytes = placeholder_files(database.url, work / "media", options.file_kb * 1024)
            archive = work / "portal.tar"
            backup_seconds, backed_up = manage(env, "backup_portal", str(archive))
            restored_url, drop_restored = fresh_database(work, database)
            target = {**env, "DATABASE_URL": restored_url, "MEDIA_ROOT": str(work / "restored-media")}
            restore_seconds, _ = manage(target, "restore_portal", str(archive))
            verify_seconds, verified = manage(target, "verify_history")
        finally:
            database.drop()
            if drop_restored is not None:
                drop_restored()
        print(f"backup and restore of the bench dataset on {database.vendor}:")
        print(f"  attachments:    {files} placeholder files, {file_bytes / 1e6:.1f} MB")
        print(f"  archive:        {archive.stat().st_size / 1e6:.1f} MB")
        print(f"  backup_portal:  {backup_seconds:.1f} s — {backed_up}")
        print(f"  restore_portal: {restore_seconds:.1f} s (into a fresh database, then migrate)")
        print(f"  verify_history on the restored database: {verify_seconds:.1f} s — {verified}")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    main()
