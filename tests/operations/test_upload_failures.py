"""A full or read-only upload storage: a clear message in the admin, and nothing half-written."""

import errno
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports import services
from reports.models import Attachment
from tests import factories
from tests.factories import change_url, management, messages_of, page_form_data
from tests.security import sample_files as files

pytestmark = pytest.mark.django_db

# Large enough that a full disk stops the write half-way.
PDF = files.pdf(b"<</Length 200000>>stream\n" + b"0" * 200_000 + b"\nendstream")


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root: Path) -> list[Path]:
    return [path for path in Path(media_root).rglob("*") if path.is_file()]


def disk_full_half_way(monkeypatch, media_root):
    """Writes into the media folder stop half-way with ENOSPC, as on a full disk."""
    real_fdopen = os.fdopen

    class HalfWritten:
        def __init__(self, file):
            self.file = file

        def write(self, chunk):
            self.file.write(chunk[: len(chunk) // 2])
            self.file.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self):
            self.file.close()

    def fdopen(fd, *args, **kwargs):
        file = real_fdopen(fd, *args, **kwargs)
        return HalfWritten(file) if os.readlink(f"/proc/self/fd/{fd}").startswith(str(media_root)) else file

    monkeypatch.setattr(os, "fdopen", fdopen)


def read_only(monkeypatch, media_root):
    """The media folder refuses new files, as a read-only mount does (root ignores permission bits)."""
    real_open = os.open

    def refusing_open(path, *args, **kwargs):
        if str(path).startswith(str(media_root)):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)


@pytest.fixture
def editing(client, organization):
    """An editor with the change page of a draft open, adding one attachment to it."""
    report = factories.make_report(organization=organization)
    client.force_login(factories.make_editor(organization))
    data = page_form_data(client.get(change_url(report)))
    data |= {"title": "改过的标题"} | management("attachments", 1)
    data |= {
        "attachments-0-file": SimpleUploadedFile("附件.pdf", PDF),
        "attachments-0-display_name": "统计表",
        "attachments-0-order": "1",
    }
    return report, data


@pytest.mark.parametrize("fault", [disk_full_half_way, read_only])
def test_a_full_or_read_only_storage_is_a_clear_admin_error_and_nothing_is_kept(
    client, editing, media_root, monkeypatch, fault
):
    report, data = editing
    revisions = report.revisions.count()
    fault(monkeypatch, media_root)

    response = client.post(change_url(report), data)

    assert response.status_code == 302
    assert response["Location"] == change_url(report)
    assert messages_of(response) == [
        "附件未能保存：服务器存储空间已满或不可写入，本次修改均未保存。请联系系统管理员处理后重试。"
    ]
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []
    report.refresh_from_db()
    assert (report.title, report.revisions.count()) == (report.title, revisions)
    assert report.title != "改过的标题"


def test_a_file_whose_save_was_undone_is_not_left_behind(client, editing, media_root, monkeypatch):
    """The file is written, then the last step of the save is refused (a concurrent edit) and rolled back."""
    report, data = editing

    def refused(**kwargs):
        raise services.WorkflowError("报告已被他人修改，请刷新后重试。")

    monkeypatch.setattr(services, "record_edit", refused)

    response = client.post(change_url(report), data)

    assert messages_of(response) == ["报告已被他人修改，请刷新后重试。"]
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_a_saved_upload_keeps_its_file(client, editing, media_root):
    report, data = editing

    client.post(change_url(report), data)

    attachment = Attachment.objects.get()
    assert stored_files(media_root) == [Path(attachment.file.path)]
