"""Attachments: the type is read from the content, images are cleaned, names are made safe."""

import hashlib
import io
import struct

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reports import uploads
from reports.importing.sources import read_upload
from reports.importing.structure import ReportTextError
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
    # The name says nothing about the type: a .doc name on .docx content is a .docx.
    ("旧名.doc", files.docx(), uploads.DOCX.content_type, ".docx"),
    ("无扩展名", files.docx(), uploads.DOCX.content_type, ".docx"),
    ("关于报告（2019.12.31）", files.pdf(), "application/pdf", ".pdf"),
    # Opens without a password; only copying and printing are restricted.
    ("限制复制.pdf", files.pdf_made_by_pypdf(owner_password="owner"), "application/pdf", ".pdf"),
    # Word records the template a document was made from; one on the author's own disk is harmless.
    (
        "本地模板.docx",
        files.docx(
            {
                "word/settings.xml": b"<w:settings/>",
                "word/_rels/settings.xml.rels": files.relationships(
                    ("attachedTemplate", "file:///C:/Users/办公室/Normal.dotm", "External")
                ),
                "word/_rels/document.xml.rels": files.relationships(("hyperlink", "https://www.gov.cn/", "External")),
            }
        ),
        uploads.DOCX.content_type,
        ".docx",
    ),
    (
        "含公式.docx",
        files.docx(
            {"word/embeddings/oleObject1.bin": files.ole2_file({"Equation Native": b"e"})},
            defaults={"bin": "application/vnd.openxmlformats-officedocument.oleObject"},
        ),
        uploads.DOCX.content_type,
        ".docx",
    ),
]

VBA = "application/vnd.ms-office.vbaProject"
REMOTE_TEMPLATE = {
    "word/settings.xml": b"<w:settings/>",
    "word/_rels/settings.xml.rels": files.relationships(("attachedTemplate", "http://evil.example/t.dotm", "External")),
}

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
    ("renamed-vba.docx", files.docx({"word/macros1.bin": b"vba"}, defaults={"bin": VBA}), "宏"),
    ("docm-type.docx", files.docx(main="application/vnd.ms-word.document.macroEnabled.main+xml"), "宏"),
    ("xlm.xlsx", files.xlsx({"xl/macrosheets/sheet1.xml": b"<xm/>"}), "宏"),
    ("exe-inside.docx", files.docx({"word/evil.exe": b"MZ", "index.html": b"<html>"}), "夹带"),
    (
        "html-part.docx",
        files.docx({"word/afchunk.xml": b"<html/>"}, overrides={"word/afchunk.xml": "application/xhtml+xml"}),
        "夹带",
    ),
    ("untyped.docx", files.docx({"word/data.bin": b"x"}), "夹带"),
    (
        "pptx.docx",
        files.docx(main="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
        "不是 Word 或 Excel",
    ),
    (
        "doctype.docx",
        files.zip_file(
            {"[Content_Types].xml": b'<!DOCTYPE x [<!ENTITY a "aaaa">]><Types/>', "word/document.xml": b"<w/>"}
        ),
        "损坏",
    ),
    ("remote-template.docx", files.docx(REMOTE_TEMPLATE), "网络上的模板"),
    (
        "unc-template.docx",
        files.docx(
            {
                **REMOTE_TEMPLATE,
                "word/_rels/settings.xml.rels": files.relationships(
                    ("attachedTemplate", "\\\\10.0.0.1\\share\\t.dotm", "External")
                ),
            }
        ),
        "网络上的模板",
    ),
    (
        "web-picture.docx",
        files.docx(
            {
                "word/_rels/document.xml.rels": files.relationships(
                    ("image", "https://evil.example/pixel.png", "External")
                )
            }
        ),
        "网络上的模板",
    ),
    (
        "packager.docx",
        files.docx(
            {"word/embeddings/oleObject1.bin": files.ole2_file({"\x01Ole10Native": b"MZ"})},
            defaults={"bin": "application/vnd.openxmlformats-officedocument.oleObject"},
        ),
        "嵌入了其他文件",
    ),
    ("exe-inside.ofd", files.ofd({"Doc_0/Attachs/run.exe": b"MZ"}), "夹带"),
    ("not-ofd.ofd", files.ofd(root=b"<html/>"), "损坏"),
    ("openaction.pdf", files.pdf(b"<</S/JavaScript/JS(app.alert(1))>>", catalog=b"/OpenAction 3 0 R"), "JavaScript"),
    ("escaped-name.pdf", files.pdf(b"<</S/J#61vaScript/JS(app.alert(1))>>"), "JavaScript"),
    ("launch.pdf", files.pdf(b"<</Type/Action/S/Launch/F(cmd.exe)>>"), "Launch"),
    ("document-js.pdf", files.pdf_made_by_pypdf(javascript="app.alert(1)"), "JavaScript"),
    ("embedded.pdf", files.pdf_made_by_pypdf(attachment=b"MZ"), "EmbeddedFile"),
    ("polyglot.pdf", files.pdf(head=b"<html><script>alert(1)</script></html>\n"), "网页代码"),
    ("locked.pdf", files.pdf_made_by_pypdf(user_password="secret"), "密码"),
    ("no-xref.pdf", b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n", "损坏"),
    ("report.pdf.exe", files.pdf(), ".exe"),
    ("page.pdf.html", files.pdf(), ".html"),
    ("trailing-dot.exe. ", files.pdf(), ".exe"),
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


def declare_unpacked_size(archive: bytes, name: str, size: int) -> bytes:
    """``archive`` with the central directory claiming ``size`` bytes for ``name``, as a hand-made bomb would."""
    entry = archive.rindex(
        b"PK\x01\x02" + archive[archive.rindex(b"PK\x01\x02") + 4 : archive.rindex(b"PK\x01\x02") + 4],
        0,
        archive.rindex(name.encode()),
    )
    return archive[: entry + 24] + struct.pack("<I", size) + archive[entry + 28 :]


def test_zip_that_unpacks_too_large_is_refused():
    bomb = declare_unpacked_size(
        files.docx({"word/media/zeros.png": b"\0" * 1000}), "word/media/zeros.png", 450 * 2**20
    )
    with pytest.raises(uploads.ValidationError) as refusal:
        check_upload(upload("bomb.docx", bomb))
    assert "解压后有 450.0\xa0MB，过大" in refusal.value.messages[0]


def test_zip_that_unpacks_a_thousand_times_its_size_is_refused():
    bomb = files.docx({"word/media/zeros.png": b"\0" * (11 * 2**20)})
    assert len(bomb) < 20_000
    with pytest.raises(uploads.ValidationError) as refusal:
        check_upload(upload("bomb.docx", bomb))
    assert "过大" in refusal.value.messages[0]


@pytest.mark.parametrize(("width", "height"), [(9000, 9900), (100_000, 100_000)])
def test_images_over_the_pixel_limit_are_refused_before_decoding(width, height, monkeypatch):
    monkeypatch.setattr(uploads, "_save_pixels", lambda *args: pytest.fail("decoded"))
    with pytest.raises(uploads.ValidationError) as refusal:
        check_upload(upload("big.png", files.png_header_only(width, height)))
    assert "过大" in refusal.value.messages[0]


def test_an_a4_page_scanned_at_600_dpi_is_within_the_pixel_limit():
    assert 4961 * 7016 < uploads.IMAGE_MAX_PIXELS


def test_jpeg_comments_are_dropped():
    original = files.jpeg_with_comment(b"<script>alert(1)</script> 440102199001011234")
    assert b"<script>" in original
    cleaned = check_upload(upload("图.jpg", original)).content
    assert b"script" not in cleaned and b"440102" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert "comment" not in image.info


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
def test_a_typed_display_name_ending_like_a_program_is_a_field_error(report):
    form = AttachmentForm(
        data={"display_name": "年度报告.pdf.exe", "order": 0},
        files={"file": upload("x.pdf", files.pdf())},
        instance=Attachment(report=report),
    )
    assert not form.is_valid()
    assert ".exe" in form.errors["display_name"][0]


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


# --- Work a clerk's file may cause -----------------------------------------------------


def test_importing_a_docx_of_more_paragraphs_than_a_report_has_is_refused_before_reading_it(monkeypatch):
    """200,000 empty paragraphs pack into about 22 KB and took python-docx past the worker timeout."""
    monkeypatch.setattr(docx, "Document", lambda *args: pytest.fail("python-docx read the file"))
    content = files.docx(body=b"<w:p/>" * 200_000)
    assert len(content) < 30_000
    with pytest.raises(ReportTextError) as refusal:
        read_upload("报告.docx", content)
    assert "超过 10000 个段落" in str(refusal.value)


def test_importing_a_docx_of_a_long_report_still_works():
    body = b"".join(b"<w:p><w:r><w:t>%d</w:t></w:r></w:p>" % n for n in range(2000))
    assert read_upload("报告.docx", files.docx(body=body)).text.count("\n") == 1999
