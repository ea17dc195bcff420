"""Test documents made from known text: PDFs laid out like a typeset report, Word files with real numbering.

The PDFs use reportlab's STSong-Light, a CID font every PDF reader knows, so no font file
is needed: lines wrap at the right margin, paragraphs open with a two-character indent,
the title is centred, the sign-off right-aligned, and each page has a running header and a
``— n —`` page number, as the PDFs offices export do.
"""

import io
import zlib
from dataclasses import dataclass

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

WIDTH, HEIGHT = A4
LEFT, RIGHT, TOP, BOTTOM = 72, WIDTH - 72, HEIGHT - 80, 80
SIZE, LEADING = 12, 20


@dataclass
class Block:
    text: str
    align: str = "paragraph"  # paragraph (indented first line), heading, centre, right


def report_blocks(text: str) -> list[Block]:
    """A report's lines as blocks: the title centred, the sign-off right-aligned, the rest paragraphs."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    blocks = [Block(lines[0], "centre")]
    tail = 0
    while tail < len(lines) - 1 and len(lines[-1 - tail]) <= 12:
        tail += 1
    blocks += [Block(line) for line in lines[1 : len(lines) - tail]]
    blocks += [Block(line, "right") for line in lines[len(lines) - tail :]]
    return blocks


def text_pdf(blocks: list[Block], *, header: str = "", page_numbers: bool = True, blank_pages: tuple = ()) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    page = [1]
    y = [TOP]

    def new_page():
        if header:
            pdf.setFont(FONT, 9)
            pdf.drawCentredString(WIDTH / 2, HEIGHT - 40, header)
        if page_numbers:
            pdf.setFont(FONT, 10)
            pdf.drawCentredString(WIDTH / 2, 40, f"— {page[0]} —")
        pdf.showPage()
        page[0] += 1
        while page[0] in blank_pages:
            pdf.showPage()  # a page with no text layer, as a scanned page has
            page[0] += 1
        y[0] = TOP

    def draw(line: str, x: float, size: float = SIZE):
        if y[0] < BOTTOM:
            new_page()
        pdf.setFont(FONT, size)
        pdf.drawString(x, y[0], line)
        y[0] -= LEADING

    for block in blocks:
        if block.align == "centre":
            size = 16
            for line in _wrap(block.text, RIGHT - LEFT - 4 * size, size):
                draw(line, (WIDTH - pdfmetrics.stringWidth(line, FONT, size)) / 2, size)
            y[0] -= LEADING
        elif block.align == "right":
            draw(block.text, RIGHT - pdfmetrics.stringWidth(block.text, FONT, SIZE))
        else:
            indent = 2 * SIZE
            lines = _wrap(block.text, RIGHT - LEFT - indent, SIZE, rest_width=RIGHT - LEFT)
            for number, line in enumerate(lines):
                draw(line, LEFT + (indent if number == 0 else 0))
    new_page()
    pdf.save()
    return buffer.getvalue()


def _wrap(text: str, width: float, size: float, rest_width: float | None = None) -> list[str]:
    lines, current, limit = [], "", width
    for char in text:
        if pdfmetrics.stringWidth(current + char, FONT, size) > limit:
            lines.append(current)
            current, limit = "", rest_width or width
        current += char
    return [*lines, current] if current else lines


def pdf_with_mapped_glyphs(codes: dict[str, str], shown: str) -> bytes:
    """A one-page PDF whose font's ToUnicode map sends each byte of ``shown`` to ``codes[byte]``.

    This is what common PDF producers write when they map CJK glyphs to radical
    look-alikes (⼀ U+2F00 for 一): the page looks right, the extracted text is not.
    """
    entries = "".join(f"<{ord(code):02X}> <{ord(target):04X}>\n" for code, target in codes.items())
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Mapped def /CMapType 2 def\n1 begincodespacerange <00> <FF> endcodespacerange\n"
        f"{len(codes)} beginbfchar\n{entries}endbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    content = f"BT /F1 24 Tf 72 700 Td ({shown}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        _stream(content),
        _stream(cmap),
    ]
    return _pdf(objects)


def image_only_pdf() -> bytes:
    """A scanned page: a picture and no text."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.rect(72, 400, 400, 300, fill=1)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _stream(data: bytes) -> bytes:
    packed = zlib.compress(data)
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --- Word -------------------------------------------------------------------------------------
# The list Chinese reports use: 一、 at level 0, （一） at level 1, 1. at level 2.
REPORT_LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]


def numbered_docx(paragraphs: list[tuple[int | None, str]], *, levels=REPORT_LEVELS, restart_at: int | None = None):
    """A .docx whose numbered paragraphs carry Word's automatic numbering, not typed numbers.

    ``paragraphs`` are (level or None, text). With ``restart_at`` the paragraph at that
    position starts a second list instance of the same definition with startOverride 1.
    """
    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels_xml = "".join(
        f'<w:lvl w:ilvl="{index}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for index, (fmt, text) in enumerate(levels)
    )
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels_xml}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="92"><w:abstractNumId w:val="90"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
    )
    for position, (level, text) in enumerate(paragraphs):
        paragraph = document.add_paragraph(text)
        if level is not None:
            num_id = 92 if restart_at is not None and position >= restart_at else 91
            properties = paragraph._p.get_or_add_pPr()
            properties.append(
                parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
            )
    return document


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def number_heading_style(document, style_name: str, level: int) -> None:
    """Give a paragraph style a numbering, as Word's 标题 1/标题 2 styles linked to a list have."""
    style = document.styles[style_name]
    properties = style.element.get_or_add_pPr()
    for old in properties.findall(qn("w:numPr")):
        properties.remove(old)
    properties.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="91"/></w:numPr>'))
