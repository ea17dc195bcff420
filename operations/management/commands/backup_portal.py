import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files together into one new archive (see README)."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the archive to write, e.g. /backup/portal-2026-03-01.tar")

    def handle(self, *args, archive: Path, **options):
        started = time.monotonic()
        try:
            summary = backup(archive)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backed up to {summary.archive} in {time.monotonic() - started:.1f} s: database {summary.database_bytes:,}"
            f" bytes, {summary.files} files {summary.file_bytes:,} bytes, archive {archive.stat().st_size:,} bytes."
        )
        if summary.missing:
            raise CommandError(
                f"{len(summary.missing)} uploaded files the database refers to are missing from the media folder"
                f" and are not in the archive: {', '.join(summary.missing)}"
            )
