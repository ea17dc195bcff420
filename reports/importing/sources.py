"""Read an upload — .txt, .docx or PDF — into the text the parser reads.

The kind of file is decided by its content where the content says it (a PDF starts with
``%PDF``, a .docx is a zip, an old Word file an OLE compound file), so a renamed file is
read for what it is or refused with a message that says why.
"""

from dataclasses import dataclass, field
from pathlib import PurePath

from django.utils.translation import gettext as _

from reports.importing.structure import ReportTextError

UPLOAD_SUFFIXES = (".txt", ".docx", ".pdf")

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PDF_SIGNATURE = b"%PDF-"
# A PDF may have up to 1 KB of junk before its header; readers accept it, so do we.
_PDF_HEADER_WINDOW = 1024


@dataclass
class SourceText:
    text: str
    warnings: list[str] = field(default_factory=list)


def read_upload(name: str, data: bytes) -> SourceText:
    """The text of an uploaded .txt (UTF-8, UTF-16 with BOM, or GB18030), .docx or PDF file."""
    # The Word and PDF readers are loaded by the first import, not by every worker at start (README, "Memory").
    from reports.importing.pdf import pdf_text
    from reports.importing.word import docx_text

    suffix = PurePath(name).suffix.lower()
    if _PDF_SIGNATURE in data[:_PDF_HEADER_WINDOW]:
        extracted = pdf_text(data)
        return SourceText(extracted.text, extracted.warnings)
    if data.startswith(_OLE_SIGNATURE) or suffix in {".doc", ".wps"}:
        raise ReportTextError(
            _("无法读取旧版 Word（.doc）或 WPS 文件，请在 Word 或 WPS 中另存为 .docx 或导出为 PDF 后再上传。")
        )
    if suffix == ".docx":
        return SourceText(docx_text(data))
    if suffix == ".txt":
        return SourceText(_decode_text(data))
    if suffix == ".pdf":
        raise ReportTextError(_("文件不是有效的 PDF 文档，可能已损坏或只是改了扩展名。"))
    raise ReportTextError(_("只能导入 .txt、.docx 或 PDF 文件。"))


def _decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "gb18030"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReportTextError(_("无法识别文件的文字编码，请另存为 UTF-8 编码的文本文件后再上传。"))
