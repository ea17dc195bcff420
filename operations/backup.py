"""One archive holding the database and the uploaded files as they were at one instant, and its restore.

The archive is a tar file:

- ``manifest.json``: the format, when, which database engine, and the size and SHA-256 of
  every other member;
- ``database.dump`` (PostgreSQL: ``pg_dump --format=custom``) or ``database.sqlite3``
  (SQLite: a copy made with SQLite's online backup API, consistent even while the live
  database is written; a file copy of a live WAL database is not);
- ``media/<name>``: every uploaded file a row of the dumped database refers to.

Consistency: files are written before the row that refers to them and never changed or
deleted afterwards, so the files referred to by the dumped rows all exist when they are
copied after the dump. On PostgreSQL the names are read in the very snapshot ``pg_dump``
dumps (an exported snapshot); on SQLite, from the copy itself.

A restore goes into a fresh database and an empty media folder only, checks every
member's checksum before it writes anything, applies the migrations of the running
release, and records a ``DatabaseRestore``, which gives the database a new identity for
the shared cache.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, models, transaction
from django.utils import timezone

FORMAT = "rule-of-law-portal/backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done, with a message for the operator."""


@dataclass(frozen=True)
class Summary:
    archive: Path
    database_bytes: int
    files: int
    file_bytes: int
    missing: tuple[str, ...]


# --- Backup -------------------------------------------------------------------------


def backup(archive: Path) -> Summary:
    """Write the database and its uploaded files to ``archive`` (a new file), all or nothing."""
    if archive.exists():
        raise BackupError(f"{archive} already exists; give a new file name")
    if connection.in_atomic_block:
        # The dump must see committed data only, in a snapshot of its own.
        raise BackupError("a backup cannot be made from inside a transaction")
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="portal-backup-", dir=archive.parent) as work:
        work = Path(work)
        if connection.vendor == "postgresql":
            database_file, names = _dump_postgresql(work)
        elif connection.vendor == "sqlite":
            database_file, names = _dump_sqlite(work)
        else:
            raise BackupError(f"backups of {connection.vendor} databases are not supported")
        media_root = Path(settings.MEDIA_ROOT)
        present = [name for name in sorted(names) if (media_root / name).is_file()]
        missing = tuple(sorted(set(names) - set(present)))
        members = [(database_file.name, database_file)] + [(f"media/{name}", media_root / name) for name in present]
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database": {"vendor": connection.vendor, "member": database_file.name},
            "members": {name: _describe(path) for name, path in members},
            "missing_media": list(missing),
        }
        partial = work / "archive.tar"
        with tarfile.open(partial, "w") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            for name, path in members:
                tar.add(path, arcname=name, recursive=False)
        os.replace(partial, archive)
    return Summary(
        archive=archive,
        database_bytes=manifest["members"][database_file.name]["size"],
        files=len(present),
        file_bytes=sum(manifest["members"][f"media/{name}"]["size"] for name in present),
        missing=missing,
    )


def _dump_postgresql(work: Path) -> tuple[Path, set[str]]:
    target = work / "database.dump"
    with transaction.atomic(), connection.cursor() as cursor:
        # pg_dump dumps exactly the snapshot in which the file names are read.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        names = set()
        for sql in _file_name_queries(connection.ops.quote_name):
            cursor.execute(sql)
            names.update(row[0] for row in cursor.fetchall())
        _run([_pg_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={target}"])
    return target, names


def _dump_sqlite(work: Path) -> tuple[Path, set[str]]:
    target = work / "database.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        names = set()
        for sql in _file_name_queries(lambda name: f'"{name}"'):
            names.update(row[0] for row in copy.execute(sql))
    finally:
        copy.close()
    return target, names


def _file_name_queries(quote) -> list[str]:
    """One SELECT per file field of every model: the stored names of uploaded files."""
    queries = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                table, column = quote(model._meta.db_table), quote(field.column)
                # Only quoted names from the models are interpolated.
                queries.append(f"SELECT {column} FROM {table} WHERE {column} <> ''")  # noqa: S608
    return queries


# --- Restore ------------------------------------------------------------------------


def restore(archive: Path) -> Summary:
    """Restore ``archive`` into the configured database and media folder, which must both be empty."""
    manifest = _checked_manifest(archive)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(f"the archive holds a {vendor} database; DATABASE_URL is {connection.vendor}")
    media_root = Path(settings.MEDIA_ROOT)
    if connection.introspection.table_names():
        raise BackupError("the database is not empty: restore into a freshly created database")
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"the media folder {media_root} is not empty: restore into an empty folder")
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as work:
        database_member = manifest["database"]["member"]
        database_file = Path(work) / database_member
        with tarfile.open(archive) as tar:
            _extract(tar, database_member, database_file, manifest)
            if vendor == "postgresql":
                connection.close()
                _run(
                    [
                        _pg_tool("pg_restore"),
                        "--no-owner",
                        "--no-privileges",
                        "--exit-on-error",
                        "--single-transaction",
                        f"--dbname={settings.DATABASES['default']['NAME']}",
                        str(database_file),
                    ]
                )
            else:
                _restore_sqlite(database_file)
            files = [name for name in manifest["members"] if name.startswith("media/")]
            for name in files:
                _extract(tar, name, media_root / PurePosixPath(name).relative_to("media"), manifest)
    call_command("migrate", interactive=False, verbosity=0)
    from operations.models import DatabaseRestore

    DatabaseRestore.objects.create(archive=archive.name, backed_up_at=datetime.fromisoformat(manifest["created_at"]))
    return Summary(
        archive=archive,
        database_bytes=manifest["members"][database_member]["size"],
        files=len(files),
        file_bytes=sum(manifest["members"][name]["size"] for name in files),
        missing=tuple(manifest["missing_media"]),
    )


def _restore_sqlite(source: Path) -> None:
    connection.ensure_connection()
    copy = sqlite3.connect(source)
    try:
        copy.backup(connection.connection)
    finally:
        copy.close()
    connection.close()


def _checked_manifest(archive: Path) -> dict:
    """The manifest, after every member has been checked against it: nothing is written from a bad archive."""
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist")
    try:
        with tarfile.open(archive) as tar:
            manifest = json.loads(tar.extractfile(MANIFEST).read())
            if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
                raise BackupError(f"{archive} is not a portal backup of format {FORMAT} {FORMAT_VERSION}")
            for name, expected in manifest["members"].items():
                _safe_member_name(name)
                digest, size = _digest(tar.extractfile(name))
                if (digest, size) != (expected["sha256"], expected["size"]):
                    raise BackupError(f"{archive}: {name} does not match its checksum; the archive is damaged")
    except (tarfile.TarError, KeyError, ValueError) as error:
        raise BackupError(f"{archive} is not a readable portal backup ({error})") from None
    return manifest


def _extract(tar: tarfile.TarFile, name: str, target: Path, manifest: dict) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    source = tar.extractfile(name)
    digest = hashlib.sha256()
    with target.open("xb") as output:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            output.write(chunk)
    if digest.hexdigest() != manifest["members"][name]["sha256"]:
        raise BackupError(f"{name} changed while it was restored")


def _safe_member_name(name: str) -> None:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        raise BackupError(f"refusing the archive member {name!r}")


# --- Shared -------------------------------------------------------------------------


def _describe(path: Path) -> dict:
    with path.open("rb") as stream:
        digest, size = _digest(stream)
    return {"size": size, "sha256": digest}


def _digest(stream) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _add_bytes(tar: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(content))


def _pg_tool(name: str) -> str:
    """The newest of Debian's versioned tools (never older than the server), else the one on PATH."""
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda path: int(path.parts[-3]))
    found = str(versions[-1]) if versions else shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def _run(command: list[str]) -> None:
    """A PostgreSQL tool against the configured database; the password goes through the environment."""
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "PGHOST": str(database.get("HOST") or ""),
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": str(database.get("USER") or ""),
        "PGPASSWORD": str(database.get("PASSWORD") or ""),
        "PGDATABASE": str(database.get("NAME") or ""),
    }
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")
