"""Attachments: the type is read from the content, images are cleaned, names are made safe."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reports import uploads
from reports.models import Attachment
from reports.uploads import AttachmentForm, check_upload, display_name_from
from tests.security import sample_files as files

ACCEPTED = [
    ("报告.pdf", files.pdf(), "application/pdf", ".pdf"),
    ("报告.doc", files.ole2_file({"WordDocument": b"word", "1Table": b"t"}), "application/msword", ".doc"),
    ("统计.xls", files.ole2_file({"Workbook": b"cells"}), "application/vnd.ms-excel", ".xls"),
    ("统计95.xls", files.ole2_file({"Book": b"cells"}), "application/vnd.ms-excel", ".xls"),
    ("报告.docx", files.docx(), uploads.DOCX.content_type, ".docx"),
    ("统计.xlsx", files.xlsx(), uploads.XLSX.content_type, ".xlsx"),
    ("公文.ofd", files.ofd(), "application/ofd", ".ofd"),
    ("照片.jpg", files.jpeg_with_gps(), "image/jpeg", ".jpg"),
    ("图表.png", files.png(), "image/png", ".png"),
    # The name says nothing: a PDF called .exe is a PDF, stored as one.
    ("setup.exe", files.pdf(), "application/pdf", ".pdf"),
    ("无扩展名", files.docx(), uploads.DOCX.content_type, ".docx"),
]

REFUSED = [
    ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG"),
    ("logo.svg", b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "SVG"),
    ("page.html", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "网页"),
    ("报告.pdf", b"<html><body onload=alert(1)>", "网页"),
    ("photo.jpg", b"\xef\xbb\xbf  <svg onload=alert(1)>", "SVG"),
    ("tool.exe", b"MZ\x90\x00\x03" + b"\0" * 100, "程序"),
    ("报告.doc", b"\x7fELF\x02\x01\x01" + b"\0" * 100, "程序"),
    ("run.sh", b"#!/bin/sh\nrm -rf /\n", "程序"),
    ("notes.txt", "普通文本文件".encode(), "无法识别"),
    ("random.bin", bytes(range(256)) * 4, "无法识别"),
    ("archive.zip", files.zip_file({"a.txt": b"hello"}), "压缩包"),
    ("broken.docx", b"PK\x03\x04" + b"\0" * 200, "损坏"),
    ("slides.ppt", files.ole2_file({"PowerPoint Document": b"p"}), "不是 Word 或 Excel"),
    ("broken.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "损坏"),
    ("macro.doc", files.ole2_file({"WordDocument": b"w", "Macros/VBA/dir": b"v"}), "宏"),
    ("macro.xls", files.ole2_file({"Workbook": b"w", "_VBA_PROJECT_CUR/VBA/dir": b"v"}), "宏"),
    ("macro.docm", files.docx({"word/vbaProject.bin": b"vba"}), "宏"),
    ("macro.xlsm", files.xlsx({"xl/vbaProject.bin": b"vba"}), "宏"),
    ("broken.jpg", b"\xff\xd8\xff\xe0" + b"garbage" * 50, "损坏"),
    ("broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 50, "损坏"),
    ("bomb.png", files.png_header_only(100_000, 100_000), "过大"),
    ("empty.pdf", b"", "空"),
]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(("name", "content", "content_type", "extension"), ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_allowed_types_are_recognised_by_content(name, content, content_type, extension):
    checked = check_upload(upload(name, content))
    assert checked.kind.content_type == content_type
    assert checked.as_file().name.endswith(extension)


@pytest.mark.parametrize(("name", "content", "reason"), REFUSED, ids=[f"{c[0]}-{c[2]}" for c in REFUSED])
def test_other_content_is_refused_with_a_reason_in_chinese(name, content, reason):
    with pytest.raises(uploads.ValidationError) as refusal:
        check_upload(upload(name, content))
    assert reason in refusal.value.messages[0]


def test_files_over_the_size_limit_are_refused(settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(uploads.ValidationError) as refusal:
        check_upload(upload("big.pdf", files.pdf() + b"\0" * 1000))
    assert "超过了 1000\xa0字节 的上限" in refusal.value.messages[0]
    assert check_upload(upload("small.pdf", files.pdf())).kind is uploads.PDF


def test_the_default_size_limit_is_twenty_megabytes():
    from portal.settings import base

    assert base.ATTACHMENT_MAX_BYTES == 20 * 1024 * 1024


def test_zip_that_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "ZIP_MAX_UNPACKED_BYTES", 100_000)
    bomb = files.docx({"word/media/zeros.bin": b"\0" * 200_000})
    with pytest.raises(uploads.ValidationError) as refusal:
        check_upload(upload("bomb.docx", bomb))
    assert "解压后过大" in refusal.value.messages[0]


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # Pillow warns; we refuse
def test_images_over_the_pixel_limit_are_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 50 * 50)
    with pytest.raises(uploads.ValidationError) as refusal:
        check_upload(upload("big.png", files.png(size=(60, 60))))
    assert "60×60" in refusal.value.messages[0]
    assert check_upload(upload("ok.png", files.png(size=(50, 50)))).kind is uploads.PNG


def test_photos_lose_exif_and_gps_but_keep_their_pixels():
    original = files.jpeg_with_gps(size=(40, 20))
    assert b"SpyCam" in original
    cleaned = check_upload(upload("照片.jpg", original)).content
    assert b"SpyCam" not in cleaned
    assert b"Exif" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.size == (40, 20)
        assert not image.getexif()
        assert image.getpixel((20, 10))[0] > 150


def test_rotation_flag_is_applied_to_the_pixels_before_exif_is_dropped():
    cleaned = check_upload(upload("竖拍.jpg", files.jpeg_with_gps(size=(40, 20), orientation=6))).content
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.size == (20, 40)


def test_png_text_chunks_and_trailing_data_are_dropped():
    original = files.png(text={"Comment": "<script>alert(1)</script>"}) + b"<html><script>alert(2)</script>"
    cleaned = check_upload(upload("图.png", original)).content
    assert b"script" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.size == (30, 30)


def test_documents_are_stored_byte_for_byte():
    content = files.docx()
    assert check_upload(upload("报告.docx", content)).content == content


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("2019年度报告.pdf", "2019年度报告.pdf"),
        ("../../../etc/passwd", "passwd"),
        ("C:\\Users\\办公室\\附件1.docx", "附件1.docx"),
        ("附件\u202egpj.exe", "附件gpj.exe"),  # right-to-left override would show "附件exe.jpg"
        ("附件\u2066名称\u2069.pdf", "附件名称.pdf"),
        ("附件\u200b\u200d\ufeff.pdf", "附件.pdf"),
        ("a\x00b\x1b[31m\x7f.pdf", "ab[31m.pdf"),
        ("<img src=x onerror=alert(1)>图.png", "图.png"),
        ("1<2 比较.pdf", "1<2 比较.pdf"),
        ("   多个   空格   .pdf  ", "多个 空格 .pdf"),
        ("..", "附件"),
        ("", "附件"),
    ],
)
def test_display_names_are_made_safe(typed, shown):
    assert display_name_from(typed) == shown


def test_very_long_names_are_cut_keeping_the_extension():
    name = display_name_from("长" * 300 + ".docx")
    assert len(name) == 200
    assert name.endswith("长.docx")


@pytest.mark.django_db
def test_the_attachment_form_stores_a_checked_file_under_a_random_name(report):
    content = files.jpeg_with_gps()
    form = AttachmentForm(
        data={"display_name": "", "order": 0},
        files={"file": upload("../现场照片<script>.jpg", content)},
        instance=Attachment(report=report),
    )
    assert form.is_valid(), form.errors
    attachment = form.save()
    stored = attachment.file.read()
    assert attachment.display_name == "现场照片"  # markup goes, with the script's "content"
    assert attachment.content_type == "image/jpeg"
    assert attachment.size == len(stored)
    assert attachment.sha256 == hashlib.sha256(stored).hexdigest()
    assert b"SpyCam" not in stored
    assert attachment.file.name.startswith("attachments/")
    assert attachment.file.name.endswith(".jpg")
    assert "现场" not in attachment.file.name and "script" not in attachment.file.name


@pytest.mark.django_db
def test_the_attachment_form_keeps_a_typed_display_name_made_safe(report):
    form = AttachmentForm(
        data={"display_name": "附件一\u202e<b>说明</b>", "order": 0},
        files={"file": upload("x.pdf", files.pdf())},
        instance=Attachment(report=report),
    )
    assert form.is_valid(), form.errors
    assert form.save().display_name == "附件一说明"


@pytest.mark.django_db
def test_the_attachment_form_shows_a_refusal_as_a_field_error(report):
    form = AttachmentForm(
        data={"display_name": "", "order": 0},
        files={"file": upload("logo.svg", b"<svg onload=alert(1)>")},
        instance=Attachment(report=report),
    )
    assert not form.is_valid()
    assert "不能上传 SVG" in form.errors["file"][0]
    assert not Attachment.objects.exists()
