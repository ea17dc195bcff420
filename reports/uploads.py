"""What may be attached to a report, decided by the file's content, never by its name.

Allowed: PDF, Word (DOC, DOCX), Excel (XLS, XLSX), OFD, JPEG and PNG, up to
``settings.ATTACHMENT_MAX_BYTES``. What is inside a document (macros, active PDF content,
stray files, remote references, zip bombs) is checked by ``reports.document_files``.
Images are decoded and re-encoded with Pillow, which keeps the pixels and the colour
profile and drops everything else: EXIF (GPS position, camera, author), comments, text
chunks and anything hidden after the picture; oversized images are refused before
decoding. A name ending in a program's or a web page's extension is refused, since the
file would be offered as "report.pdf.exe.pdf". The uploader's file name is kept only
as a sanitized display name; the stored file gets a random name with the extension of
the detected type. With ``CLAMD_URL`` set, every accepted file is virus-scanned too.
"""

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from reports import antivirus, document_files
from reports.models import Attachment
from reports.sanitize import plain_text, remove_unsafe_characters


@dataclass(frozen=True)
class FileKind:
    name: str
    extension: str
    content_type: str
    inline: bool = False  # shown in the browser (images) rather than downloaded


PDF = FileKind("PDF", ".pdf", "application/pdf")
DOC = FileKind("Word", ".doc", "application/msword")
XLS = FileKind("Excel", ".xls", "application/vnd.ms-excel")
DOCX = FileKind("Word", ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileKind("Excel", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
OFD = FileKind("OFD", ".ofd", "application/ofd")
JPEG = FileKind("JPEG", ".jpg", "image/jpeg", inline=True)
PNG = FileKind("PNG", ".png", "image/png", inline=True)
KINDS = (PDF, DOC, XLS, DOCX, XLSX, OFD, JPEG, PNG)
KINDS_BY_CONTENT_TYPE = {kind.content_type: kind for kind in KINDS}
DOCUMENT_KINDS = {"doc": DOC, "xls": XLS, "docx": DOCX, "xlsx": XLSX, "ofd": OFD}

OLE2_SIGNATURE = document_files.OLE2_SIGNATURE
ZIP_SIGNATURE = b"PK\x03\x04"
JPEG_SIGNATURE = b"\xff\xd8\xff"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Executables and scripts, recognised only to give a clearer refusal.
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa")
MARKUP_MARKERS = (b"<svg", b"<!doctype html", b"<html", b"<script", b"<?xml", b"<body", b"<iframe")

# Pictures with more pixels are refused before decoding, which costs 3-4 bytes a pixel
# (twice while rotating): a 600-dpi scan of an A4 page has 35 million.
IMAGE_MAX_PIXELS = 40_000_000
# What a stored picture keeps besides its pixels; the ICC profile is passed on separately.
IMAGE_INFO_KEPT = frozenset({"transparency"})

# Extensions of programs, scripts, shortcuts and web pages: a name ending in one of them
# would read as that kind of file whatever the content (report.pdf.exe).
MISLEADING_SUFFIXES = frozenset(
    {
        ".exe", ".com", ".bat", ".cmd", ".scr", ".pif", ".msi", ".msp", ".dll", ".cpl", ".sys", ".drv",
        ".jar", ".js", ".jse", ".vbs", ".vbe", ".wsf", ".wsh", ".hta", ".ps1", ".psm1", ".lnk", ".url", ".reg",
        ".inf", ".chm", ".scf", ".sh", ".bash", ".py", ".pl", ".php", ".asp", ".aspx", ".jsp", ".cgi",
        ".html", ".htm", ".xhtml", ".shtml", ".mht", ".mhtml", ".svg", ".xml", ".swf", ".apk", ".app",
        ".dmg", ".deb", ".rpm", ".iso", ".img", ".vhd", ".application", ".gadget", ".docm", ".xlsm", ".dotm",
    }
)  # fmt: skip

_PATH_SEPARATORS = re.compile(r"[/\\]")
DISPLAY_NAME_MAX = 200


def allowed_types_text() -> str:
    return _("只能上传 PDF、Word（DOC/DOCX）、Excel（XLS/XLSX）、OFD、JPEG 或 PNG 文件。")


@dataclass(frozen=True)
class CheckedUpload:
    """An accepted upload: the bytes to store and what is known about them."""

    kind: FileKind
    content: bytes
    display_name: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def as_file(self) -> ContentFile:
        # The name only carries the extension; models.attachment_upload_to makes it random.
        return ContentFile(self.content, name=f"upload{self.kind.extension}")


def clean_display_name(text: str) -> str:
    """A display name with no markup, control, invisible or text-reordering characters.

    Unicode "format" characters go too: bidi marks and overrides (which can make
    "附件\u202egpj.exe" read as "附件exe.jpg") and zero-width joiners.
    """
    text = "".join(char for char in remove_unsafe_characters(text or "") if unicodedata.category(char) != "Cf")
    name = plain_text(text).strip()
    if not name.strip("."):
        return ""
    if len(name) > DISPLAY_NAME_MAX:
        suffix = PurePath(name).suffix[:10]
        name = name[: DISPLAY_NAME_MAX - len(suffix)] + suffix
    return name


def display_name_from(filename: str) -> str:
    """The display name for an uploaded file: the last part of its name only, made safe."""
    return clean_display_name(_PATH_SEPARATORS.split(filename or "")[-1]) or _("附件")


def check_name_suffix(name: str) -> None:
    """Refuse a name that ends like a program or a web page, whatever the file holds."""
    # Windows ignores trailing dots and spaces: "report.exe. " opens as report.exe.
    suffix = PurePath(name.rstrip(". ")).suffix.lower()
    if suffix in MISLEADING_SUFFIXES:
        raise ValidationError(
            _("文件名“%(name)s”以 %(suffix)s 结尾，容易被误认为程序或网页。请改用与文件类型相符的扩展名。")
            % {"name": name, "suffix": suffix},
            code="misleading_name",
        )


def check_upload(upload) -> CheckedUpload:
    """Accept an uploaded file or raise ValidationError with a message for the clerk."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("文件大小为 %(size)s，超过了 %(limit)s 的上限。")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    content = upload.read(limit + 1)
    if not content:
        raise ValidationError(_("文件是空的，请重新选择。"), code="empty")
    if len(content) > limit:
        raise ValidationError(_("文件超过了 %(limit)s 的上限。") % {"limit": filesizeformat(limit)}, code="too_large")
    kind, content = _identify(content)
    display_name = display_name_from(upload.name)
    check_name_suffix(display_name)
    antivirus.scan(content)
    return CheckedUpload(kind=kind, content=content, display_name=display_name)


def _identify(content: bytes) -> tuple[FileKind, bytes]:
    if content.startswith(b"%PDF-"):
        document_files.check_pdf(content)
        return PDF, content
    if content.startswith(OLE2_SIGNATURE):
        return DOCUMENT_KINDS[document_files.ole_document(content)], content
    if content.startswith(ZIP_SIGNATURE):
        return DOCUMENT_KINDS[document_files.zip_document(content)], content
    if content.startswith(JPEG_SIGNATURE):
        return JPEG, _reencode_image(content, "JPEG")
    if content.startswith(PNG_SIGNATURE):
        return PNG, _reencode_image(content, "PNG")
    raise _refusal(content)


def _refusal(content: bytes) -> ValidationError:
    """Why a file of no allowed type is refused, as precisely as its first bytes tell."""
    head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if any(marker in head for marker in MARKUP_MARKERS):
        return ValidationError(
            _("出于安全原因，不能上传 SVG 图片、网页或 XML 文件。") + allowed_types_text(), code="markup"
        )
    if content.startswith(EXECUTABLE_SIGNATURES):
        return ValidationError(_("不能上传程序或脚本文件。") + allowed_types_text(), code="executable")
    return ValidationError(_("无法识别该文件的类型。") + allowed_types_text(), code="unknown_type")


def _reencode_image(content: bytes, format_name: str) -> bytes:
    """Decode and save the picture again: only pixels (and the colour profile) survive."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format != format_name:
                raise ValidationError(_("图片已损坏，无法读取。"), code="corrupt")
            width, height = image.size
            if width * height > IMAGE_MAX_PIXELS:
                raise ValidationError(
                    _("图片尺寸为 %(width)d×%(height)d 像素，过大，请缩小后再上传。")
                    % {"width": width, "height": height},
                    code="too_many_pixels",
                )
            image.load()
            return _save_pixels(image, format_name)
    except Image.DecompressionBombError as exc:
        raise ValidationError(_("图片尺寸过大，请缩小后再上传。"), code="too_many_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("图片已损坏，无法读取。"), code="corrupt") from exc


def _save_pixels(image: Image.Image, format_name: str) -> bytes:
    options = {"icc_profile": image.info["icc_profile"]} if image.info.get("icc_profile") else {}
    # Apply the EXIF orientation to the pixels, since the EXIF itself is dropped. In place:
    # a second copy of a large picture would double the memory it takes.
    ImageOps.exif_transpose(image, in_place=True)
    # Pillow writes some of ``info`` back (a JPEG comment, XMP): keep only what the pixels need.
    image.info = {key: value for key, value in image.info.items() if key in IMAGE_INFO_KEPT}
    if format_name == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    if format_name == "JPEG":
        options.update(quality=90, optimize=True)
    output = io.BytesIO()
    image.save(output, format=format_name, **options)
    return output.getvalue()


class AttachmentForm(forms.ModelForm):
    """The attachment form of the report admin: every uploaded file goes through ``check_upload``."""

    class Meta:
        model = Attachment
        fields = ["file", "display_name", "order"]

    def clean_display_name(self) -> str:
        name = clean_display_name(self.cleaned_data.get("display_name", ""))
        check_name_suffix(name)
        return name

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None and "file" in self.changed_data:
            try:
                checked = check_upload(upload)
            except ValidationError as exc:
                self.add_error("file", exc)
                return cleaned
            cleaned["file"] = checked.as_file()
            self.instance.size = checked.size
            self.instance.content_type = checked.kind.content_type
            self.instance.sha256 = checked.sha256
            if not cleaned.get("display_name"):
                cleaned["display_name"] = checked.display_name
        return cleaned
