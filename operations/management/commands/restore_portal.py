import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore an archive of backup_portal into a fresh database and an empty media folder (see README)."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options):
        started = time.monotonic()
        try:
            summary = restore(archive)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {summary.archive} in {time.monotonic() - started:.1f} s: database {summary.database_bytes:,}"
            f" bytes, {summary.files} files {summary.file_bytes:,} bytes. Run verify_history, then start the servers."
        )
        if summary.missing:
            self.stderr.write(f"Files missing when the backup was made: {', '.join(summary.missing)}")
