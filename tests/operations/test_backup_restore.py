"""Backup and restore: the drill an operator runs, and the archive refused when it cannot be trusted."""

import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import quote
from urllib.request import urlopen

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from operations.backup import backup
from reports.models import Attachment
from tests import factories
from tests.factories import attach, publish_edited
from tests.security import sample_files as files
from tests.servers import Gunicorn, database_url_of_tests


@pytest.fixture
def published_with_attachment(db):
    report = factories.make_report(preamble="<p>备份之时的导语。</p>")
    attachment = attach(report, "2019年度报告全文.pdf", files.pdf())
    publish_edited(report, report.created_by, factories.make_editor(report.organization))
    return report, attachment


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of a database that exists and is empty, on the test database's server."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{connection.settings_dict['NAME']}_restored"
    quoted = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quoted}")
    yield database_url_of_tests().rsplit("/", 1)[0] + "/" + name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE {quoted} WITH (FORCE)")


def manage(env: dict, *arguments) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urlopen(url, timeout=30) as response:  # noqa: S310 - our own loopback server
            return response.status, response.read()
    except HTTPError as error:
        return error.code, error.read()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_drill_brings_back_every_page_and_attachment_as_backed_up(
    published_with_attachment, fresh_database, tmp_path, server_env
):
    report, attachment = published_with_attachment
    archive = tmp_path / "portal.tar"
    call_command("backup_portal", str(archive))

    # Life goes on after the backup: a correction and a second attachment are published.
    later = attach(report, "补充材料.pdf", files.pdf())
    report.preamble = "<p>备份之后更正的导语。</p>"
    report.save()
    publish_edited(report, report.created_by, factories.make_editor(report.organization))

    env = {
        **server_env,
        "DATABASE_URL": fresh_database,
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
    }
    assert "Restored" in manage(env, "restore_portal", str(archive))
    assert manage(env, "verify_history").startswith("OK")

    server = Gunicorn(env, tmp_path, workers=1)
    server.start(ready_path="/robots.txt")
    try:
        search = "/search/?q=" + quote("导语")
        pages = ["/", "/reports/", report.get_absolute_url(), search, "/feeds/atom.xml", "/sitemap.xml"]
        answers = {page: fetch(server.base_url + page) for page in pages}
        downloaded = fetch(server.base_url + attachment.get_absolute_url())
        added_later = fetch(server.base_url + later.get_absolute_url())
    finally:
        server.stop()

    assert {page: status for page, (status, _) in answers.items()} == dict.fromkeys(pages, 200)
    article = answers[report.get_absolute_url()][1].decode()
    assert "备份之时的导语" in article and "备份之后" not in article
    assert downloaded == (200, attachment.file.read())
    assert added_later[0] == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_never_writes_over_a_database_in_use(published_with_attachment, tmp_path):
    archive = tmp_path / "portal.tar"
    backup(archive)

    with pytest.raises(CommandError, match="the database is not empty"):
        call_command("restore_portal", str(archive))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_damaged_archive_is_refused_before_anything_is_written(published_with_attachment, tmp_path, settings):
    archive = tmp_path / "portal.tar"
    backup(archive)
    content = bytearray(archive.read_bytes())
    with tarfile.open(archive) as tar:
        member = next(info for info in tar.getmembers() if info.name.startswith("media/"))
    content[member.offset_data + 100] ^= 0xFF
    archive.write_bytes(content)
    settings.MEDIA_ROOT = tmp_path / "empty-media"

    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore_portal", str(archive))
    assert not Path(settings.MEDIA_ROOT).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_never_overwrites_an_archive(published_with_attachment, tmp_path):
    archive = tmp_path / "portal.tar"
    archive.write_bytes(b"yesterday's backup")

    with pytest.raises(CommandError, match="already exists"):
        call_command("backup_portal", str(archive))
    assert archive.read_bytes() == b"yesterday's backup"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_missing_an_uploaded_file_is_written_and_fails_loudly(published_with_attachment, tmp_path):
    _report, attachment = published_with_attachment
    Path(attachment.file.path).unlink()
    archive = tmp_path / "portal.tar"

    with pytest.raises(CommandError, match=f"missing from the media folder.*{attachment.file.name}"):
        call_command("backup_portal", str(archive))
    with tarfile.open(archive) as tar:
        assert not any(name.startswith("media/") for name in tar.getnames())
    assert Attachment.objects.count() == 1
