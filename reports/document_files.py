"""What is inside an uploaded document: its structure, macros, active content, external references and size.

``reports.uploads`` recognises a file by its first bytes and asks this module whether the
container holds what its format requires and nothing that acts on a reader's computer.
Each check answers with the format found or raises ValidationError with a message for
the clerk. Nothing here decompresses more than the limits below allow, so a small
hostile file cannot take a worker's time or memory.

Policy (the README's threat table says the same):

* Office Open XML (.docx, .xlsx): every part must have a content type in
  ``[Content_Types].xml`` and a name ending in a known suffix, so an .exe or an .html
  packed into the zip is refused; macros are found by content type (macro-enabled main
  parts, VBA projects, Excel 4.0 macro sheets, ActiveX) as well as by part name;
  embedded OLE objects that package an arbitrary file (``Ole10Native``) are refused; a
  relationship that makes Word or Excel fetch something from the network when the file
  is opened (a remote template, frame, linked object or picture) is refused, while
  hyperlinks, which the reader chooses to follow, stay.
* OFD: ``OFD.xml`` must be an OFD root, and only known suffixes may be inside.
* PDF: refused when it carries JavaScript, launch, submit or import actions, embedded
  files, RichMedia or XFA forms, or HTML at its start (a PDF/HTML polyglot). PDFs that
  cannot be opened without a password are refused: nobody could check or read them.
"""

import io
import re
import zipfile
from typing import TYPE_CHECKING
from xml.etree import ElementTree

import olefile
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from pypdf import PdfReader

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Zip containers. A real report's Word or OFD file unpacks to a few megabytes; a bomb
# unpacks to hundreds from a few kilobytes. Sizes are the ones the archive declares,
# which Python's zipfile also enforces when it reads.
ZIP_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
ZIP_MAX_ENTRIES = 10_000
# Beyond this unpacked size the whole archive may be at most this many times its packed size.
ZIP_RATIO_FLOOR_BYTES = 10 * 1024 * 1024
ZIP_MAX_RATIO = 100
# Parts read here ([Content_Types].xml, relationships, OFD.xml) are small in any real file.
XML_PART_MAX_BYTES = 2 * 1024 * 1024
EMBEDDED_OBJECT_MAX_BYTES = 20 * 1024 * 1024

# The text of a .docx for the importer: a street office's report has a few hundred
# paragraphs (table cells count too); reading 10,000 with python-docx takes about a second.
DOCX_MAX_PARAGRAPHS = 10_000
DOCX_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
WORD_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT_WORD_NAMESPACE = "http://purl.oclc.org/ooxml/wordprocessingml/main"

# Content types and part names that mean code: VBA projects, macro-enabled documents,
# Excel 4.0 macro sheets, dialog sheets and ActiveX controls.
MACRO_TYPE_MARKERS = ("macroenabled", "vbaproject", "vbadata", "macrosheet", "dialogsheet", "activex")
MACRO_PART = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml|macrosheets/|dialogsheets/|activeX/)", re.IGNORECASE)
# Content types of markup or code that Office would render or run from inside a package.
ACTIVE_TYPE_MARKERS = ("html", "javascript", "ecmascript", "x-msdownload", "x-executable", "message/rfc822", "x-sh")

OOXML_SUFFIXES = frozenset(
    {
        ".xml", ".rels", ".vml", ".bin", ".sigs", ".psdsxs", ".odttf", ".fntdata", ".ttf",
        ".png", ".jpeg", ".jpg", ".jpe", ".jfif", ".gif", ".bmp", ".tif", ".tiff", ".ico", ".svg", ".wdp",
        ".emf", ".wmf", ".emz", ".wmz",
        ".xlsx", ".docx", ".pptx", ".xls", ".doc", ".ppt",
    }
)  # fmt: skip
OFD_SUFFIXES = frozenset(
    {
        ".xml", ".dat", ".esl", ".sig", ".cer",
        ".png", ".jpeg", ".jpg", ".bmp", ".tif", ".tiff", ".gif", ".jb2",
        ".ttf", ".otf", ".ttc",
    }
)  # fmt: skip

# Relationships that make Office fetch their target when the file opens (hyperlinks wait for a click).
FETCHED_RELATIONSHIP = re.compile(r"/(attachedTemplate|oleObject|subDocument|frame|image|package|externalLinkPath)$")
# A URL with a host (file://server/share included), //host, \\host or another scheme
# (mhtml:, ms-word:); not file:///C:/... nor C:\..., which name the reader's own disk.
NETWORK_TARGET = re.compile(
    r"^\s*(?:[a-z][a-z0-9+.\-]*://(?!/)|//|\\\\|(?!file:)[a-z][a-z0-9+.\-]{2,}:)", re.IGNORECASE
)

# PDF names that make a reader run something, open a file packed inside, or send data:
# dictionary keys, and action types (the value of /S).
PDF_ACTIVE_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/EF": "EmbeddedFile",
    "/EmbeddedFiles": "EmbeddedFile",
    "/RichMedia": "RichMedia",
    "/XFA": "XFA",
}
PDF_ACTIVE_ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": "Launch",
    "/SubmitForm": "SubmitForm",
    "/ImportData": "ImportData",
    "/GoToE": "GoToE",
    "/RichMediaExecute": "RichMedia",
    "/Rendition": "Rendition",
    "/Sound": "Sound",
    "/Movie": "Movie",
}
PDF_MAX_OBJECTS = 200_000
# HTML a browser sniffing the first bytes would find (a PDF/HTML polyglot).
PDF_HTML_MARKERS = (b"<!doctype html", b"<html", b"<script", b"<body", b"<iframe", b"<svg")


def macro_refusal() -> ValidationError:
    return ValidationError(_("文件中含有宏，出于安全原因不能上传。请另存为不含宏的文档后再上传。"), code="macros")


def _corrupt() -> ValidationError:
    return ValidationError(_("文件已损坏，无法读取。"), code="corrupt")


# --- Compound files (.doc, .xls) ------------------------------------------------------------


def _ole_entries_without_macros(data: bytes) -> set[str]:
    """The lower-cased paths of an OLE2 container's streams and storages; refuses macros and corrupt files."""
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            entries = {"/".join(path).lower() for path in ole.listdir(streams=True, storages=True)}
    except (OSError, ValueError, IndexError, TypeError) as exc:
        raise _corrupt() from exc
    if _has_macros(entries):
        raise macro_refusal()
    return entries


def ole_document(content: bytes) -> str:
    """ "doc" or "xls" for an OLE2 container holding the matching main stream and no macros."""
    entries = _ole_entries_without_macros(content)
    if "worddocument" in entries:
        return "doc"
    if "workbook" in entries or "book" in entries:
        return "xls"
    raise ValidationError(_("这是一个 Office 复合文档，但不是 Word 或 Excel 文件。"), code="unknown_type")


def _has_macros(ole_entries: set[str]) -> bool:
    return any(entry.split("/")[0] in {"macros", "_vba_project_cur", "vba"} for entry in ole_entries)


# --- Zip containers ---------------------------------------------------------------------


def zip_document(content: bytes) -> str:
    """ "docx", "xlsx" or "ofd" for a zip holding exactly such a document."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = [member for member in archive.infolist() if not member.is_dir()]
            check_unpacked_size(members, packed=len(content))
            names = [member.filename for member in members]
            if "[Content_Types].xml" in names:
                return _ooxml_document(archive, names)
            if "OFD.xml" in names:
                return _ofd_document(archive, names)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError) as exc:
        raise _corrupt() from exc
    raise ValidationError(_("压缩包和其他格式的文件不能上传。"), code="unknown_type")


def check_unpacked_size(members: list[zipfile.ZipInfo], *, packed: int) -> None:
    unpacked = sum(member.file_size for member in members)
    too_large = unpacked > ZIP_MAX_UNPACKED_BYTES or (
        unpacked > ZIP_RATIO_FLOOR_BYTES and unpacked > ZIP_MAX_RATIO * max(packed, 1)
    )
    if len(members) > ZIP_MAX_ENTRIES or too_large:
        raise ValidationError(
            _("文件解压后有 %(size)s，过大，出于安全原因不能上传。") % {"size": filesizeformat(unpacked)},
            code="zip_bomb",
        )


def _read_part(archive: zipfile.ZipFile, name: str, limit: int = XML_PART_MAX_BYTES) -> bytes:
    if archive.getinfo(name).file_size > limit:
        raise _corrupt()
    return archive.read(name)


def _parse_xml(data: bytes) -> ElementTree.Element:
    # Office and OFD parts never declare a DTD; one that does is refused rather than expanded.
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise _corrupt()
    try:
        return ElementTree.fromstring(data)  # noqa: S314 (no DTD, so no entity expansion; sizes bounded)
    except ElementTree.ParseError as exc:
        raise _corrupt() from exc


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _suffix(name: str) -> str:
    """A part's extension as packages read it: after the last dot of the last segment (".rels" too)."""
    last = name.rsplit("/", 1)[-1]
    return "." + last.rsplit(".", 1)[-1].lower() if "." in last else ""


def _ooxml_document(archive: zipfile.ZipFile, names: list[str]) -> str:
    types = _parse_xml(_read_part(archive, "[Content_Types].xml"))
    defaults, overrides = {}, {}
    for entry in types:
        if _local(entry.tag) == "Default":
            defaults["." + entry.get("Extension", "").lower()] = entry.get("ContentType", "").lower()
        elif _local(entry.tag) == "Override":
            overrides[entry.get("PartName", "").lstrip("/").lower()] = entry.get("ContentType", "").lower()
    declared = [*defaults.values(), *overrides.values()]
    if any(marker in content_type for content_type in declared for marker in MACRO_TYPE_MARKERS) or any(
        MACRO_PART.search(name) for name in names
    ):
        raise macro_refusal()
    stray = []
    for name in names:
        if name == "[Content_Types].xml":
            continue
        suffix = _suffix(name)
        content_type = overrides.get(name.lower()) or defaults.get(suffix)
        if suffix not in OOXML_SUFFIXES or not content_type or any(m in content_type for m in ACTIVE_TYPE_MARKERS):
            stray.append(name)
    if stray:
        raise ValidationError(
            _("文件中夹带了不属于 Word 或 Excel 文档的内容（%(names)s），出于安全原因不能上传。")
            % {"names": "、".join(stray[:3])},
            code="stray_parts",
        )
    mains = {content_type for content_type in overrides.values() if content_type.endswith(".main+xml")}
    if mains == {DOCX_MAIN}:
        kind = "docx"
    elif mains == {XLSX_MAIN}:
        kind = "xlsx"
    else:
        raise ValidationError(_("这是一个 Office 文档，但不是 Word 或 Excel 文件。"), code="unknown_type")
    for name in names:
        if name.endswith(".rels"):
            _check_relationships(_read_part(archive, name))
        elif _suffix(name) == ".bin" and "/embeddings/" in f"/{name}":
            _check_embedded_object(_read_part(archive, name, EMBEDDED_OBJECT_MAX_BYTES))
    return kind


def _check_relationships(data: bytes) -> None:
    for relationship in _parse_xml(data):
        target = relationship.get("Target", "")
        if (
            relationship.get("TargetMode") == "External"
            and FETCHED_RELATIONSHIP.search(relationship.get("Type", ""))
            and NETWORK_TARGET.match(target)
        ):
            raise ValidationError(
                _(
                    "文件引用了网络上的模板或内容（%(target)s），打开时会连接外部网站，出于安全原因不能上传。"
                    "请在 Word 或 Excel 中取消该引用后另存再上传。"
                )
                % {"target": target[:80]},
                code="remote_reference",
            )


def _check_embedded_object(data: bytes) -> None:
    """An embedded OLE object may be an equation or a chart, but not a packaged file or macros."""
    if not data.startswith(OLE2_SIGNATURE):
        return
    entries = _ole_entries_without_macros(data)
    if "\x01ole10native" in entries:
        raise ValidationError(
            _("文件中嵌入了其他文件（“对象”或“程序包”），出于安全原因不能上传。请删除嵌入的对象后再上传。"),
            code="packaged_file",
        )


def _ofd_document(archive: zipfile.ZipFile, names: list[str]) -> str:
    if _local(_parse_xml(_read_part(archive, "OFD.xml")).tag) != "OFD":
        raise _corrupt()
    stray = [name for name in names if _suffix(name) not in OFD_SUFFIXES]
    if stray:
        raise ValidationError(
            _("文件中夹带了不属于 OFD 文档的内容（%(names)s），出于安全原因不能上传。")
            % {"names": "、".join(stray[:3])},
            code="stray_parts",
        )
    return "ofd"


# --- Word text for the importer ---------------------------------------------------------------


def check_docx_for_reading(content: bytes) -> None:
    """Refuse a .docx whose text would take unbounded time or memory to read (the importer calls this)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = [member for member in archive.infolist() if not member.is_dir()]
            check_unpacked_size(members, packed=len(content))
            document = next((m for m in members if m.filename == "word/document.xml"), None)
            if document is None:
                return  # python-docx finds the main part by its relationships and says what is wrong
            if document.file_size > DOCX_MAX_DOCUMENT_BYTES:
                raise ValidationError(
                    _("Word 文档正文解压后有 %(size)s，过大，无法导入。请只保留报告正文后再上传。")
                    % {"size": filesizeformat(document.file_size)},
                    code="too_large",
                )
            paragraphs = _count_paragraphs(archive, document)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise _corrupt() from exc
    if paragraphs > DOCX_MAX_PARAGRAPHS:
        raise ValidationError(
            _("Word 文档中有超过 %(limit)d 个段落（含表格中的段落），远超一份报告的篇幅，无法导入。")
            % {"limit": DOCX_MAX_PARAGRAPHS},
            code="too_many_paragraphs",
        )


def _count_paragraphs(archive: zipfile.ZipFile, document: zipfile.ZipInfo) -> int:
    """Paragraphs in the main part, counted while streaming and stopped past the limit."""
    tags = {f"{{{namespace}}}p" for namespace in (WORD_NAMESPACE, STRICT_WORD_NAMESPACE)}
    count = 0
    with archive.open(document) as stream:
        try:
            for _event, element in ElementTree.iterparse(stream, events=("end",)):  # noqa: S314 (size bounded)
                if element.tag in tags:
                    count += 1
                    if count > DOCX_MAX_PARAGRAPHS:
                        break
                    element.clear()
        except ElementTree.ParseError:
            return count  # python-docx reports a broken document
    return count


# --- PDF --------------------------------------------------------------------------------------


def check_pdf(content: bytes) -> None:
    """Refuse a PDF that carries active content, or HTML a browser could read it as."""
    # Loaded on first use, not by every worker at start: public workers never need it (README, "Memory").
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    head = content[:1024].lower()
    if any(marker in head for marker in PDF_HTML_MARKERS):
        raise ValidationError(_("PDF 文件中夹带了网页代码，出于安全原因不能上传。"), code="polyglot")
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                _("PDF 文件设置了打开密码，无法检查，也无法供公众阅读。请去除密码后再上传。"), code="encrypted"
            )
        active = _active_pdf_content(reader)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError) as exc:
        raise _corrupt() from exc
    if active:
        raise ValidationError(
            _("PDF 文件中含有脚本、会自动执行的动作或嵌入的文件（%(what)s），出于安全原因不能上传。")
            % {"what": active},
            code="active_pdf",
        )


def _active_pdf_content(reader: "PdfReader") -> str:
    """The first active name found in any object of the file, or "".

    Every object the cross-reference tables list is looked at, not only those reachable
    from the catalog: a reader repairing a damaged file may find the others.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    pending: list = [reader.trailer]
    for generation, numbers in reader.xref.items():
        pending += [IndirectObject(number, generation, reader) for number in numbers]
    pending += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
    seen: set[tuple[int, int]] = set()
    while pending:
        value = pending.pop()
        if isinstance(value, IndirectObject):
            key = (value.idnum, value.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > PDF_MAX_OBJECTS:
                raise ValueError("too many PDF objects")
            value = value.get_object()
        if isinstance(value, DictionaryObject):
            for name, item in value.items():
                if name in PDF_ACTIVE_KEYS:
                    return PDF_ACTIVE_KEYS[name]
                if name == "/S" and item.get_object() in PDF_ACTIVE_ACTIONS:
                    return PDF_ACTIVE_ACTIONS[item.get_object()]
                pending.append(item)
        elif isinstance(value, ArrayObject):
            pending.extend(value)
    return ""
