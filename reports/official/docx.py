""".docx in the GB/T 9704-2012 layout with python-docx, naming the fonts offices have installed.

Word and WPS fill in the proprietary faces (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312) where
they are installed; the PDF, which must look right everywhere, embeds free stand-ins.
"""

import io

from docx import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from reports.official import layout
from reports.official.layout import Block, Cover, Document

PITCH = Pt(layout.BLOCK_HEIGHT_MM * 72 / 25.4 / layout.LINES_PER_PAGE)
CHAR = Pt(layout.TEXT_SIZE)


def _set_fonts(run_properties_owner, face: str, size: float) -> None:
    """Name the face for Chinese (eastAsia) and Times New Roman for Latin letters and digits."""
    font = run_properties_owner.font
    font.size = Pt(size)
    font.name = layout.DOCX_LATIN_FONT
    fonts = run_properties_owner.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), layout.DOCX_FONTS[face])


def _page_setup(word) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = Mm(layout.PAGE_WIDTH_MM), Mm(layout.PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(layout.TOP_MM), Mm(layout.BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(layout.BINDING_MM), Mm(layout.OUTER_MM)
    section.header_distance = Mm(15)
    # The page number's top 7 mm below the text block: footer bottom edge from the page's.
    section.footer_distance = Mm(layout.BOTTOM_MM - layout.PAGE_NUMBER_GAP_MM) - Pt(layout.PAGE_NUMBER_SIZE)
    # The 22 × 28 grid: lines of 28.95 pt, characters 15.79 pt apart (Word's charSpace is 4096ths of a point).
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    char_pitch = layout.BLOCK_WIDTH_MM * 72 / 25.4 / layout.CHARS_PER_LINE
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(PITCH.pt * 20)))
    grid.set(qn("w:charSpace"), str(round((char_pitch - layout.TEXT_SIZE) * 4096)))
    # Double-sided: the binding margin is on the left of odd pages and the right of even ones.
    settings = word.settings.element
    settings.append(OxmlElement("w:mirrorMargins"))
    word.settings.odd_and_even_pages_header_footer = True
    _page_numbers(section)


def _page_number_paragraph(footer, *, odd: bool) -> None:
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    indent = Pt(layout.PAGE_NUMBER_SIZE)  # one character from the outside edge
    if odd:
        paragraph.paragraph_format.right_indent = indent
    else:
        paragraph.paragraph_format.left_indent = indent
    for text in ("— ", None, " —"):
        run = paragraph.add_run(text or "")
        _set_fonts(run, layout.SONG, layout.PAGE_NUMBER_SIZE)
        if text is None:
            for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
                if kind:
                    element = OxmlElement("w:fldChar")
                    element.set(qn("w:fldCharType"), kind)
                else:
                    element = OxmlElement("w:instrText")
                    element.set(qn("xml:space"), "preserve")
                    element.text = instruction
                run._r.append(element)


def _page_numbers(section) -> None:
    _page_number_paragraph(section.footer, odd=True)
    _page_number_paragraph(section.even_page_footer, odd=False)


def _paragraph(word, block: Block):
    paragraph = word.add_paragraph()
    form = paragraph.paragraph_format
    form.space_before = form.space_after = Pt(0)
    form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    form.line_spacing = PITCH
    size = layout.TEXT_SIZE
    if block.kind == layout.TITLE_BLOCK:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        size = layout.TITLE_SIZE
        form.space_after = PITCH  # one empty line before the text
    elif block.kind == layout.SIGNATORY:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        form.right_indent = 2 * CHAR
    elif block.kind == layout.DATE:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        form.right_indent = 2 * CHAR
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        form.first_line_indent = 2 * CHAR
        if block.kind != layout.BODY:
            form.keep_with_next = True
    run = paragraph.add_run(block.text)
    _set_fonts(run, block.face, size)
    return paragraph


def _document(word, document: Document) -> None:
    first_signatory = True
    for block in document.blocks:
        paragraph = _paragraph(word, block)
        if block.kind == layout.SIGNATORY and first_signatory:
            paragraph.paragraph_format.space_before = PITCH  # an empty line above the issuing bodies
            first_signatory = False


def _cover(word, cover: Cover) -> None:
    _paragraph(word, Block(layout.TITLE_BLOCK, cover.title))
    table = word.add_table(rows=1, cols=len(cover.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, cover.header, strict=True):
        _set_fonts(cell.paragraphs[0].add_run(text), layout.HEI, 12)
    for cells in cover.rows:
        row = table.add_row()
        for cell, text in zip(row.cells, cells, strict=True):
            _set_fonts(cell.paragraphs[0].add_run(text), layout.FANGSONG, 12)
    for column, share in zip(table.columns, cover.widths, strict=True):
        for cell in column.cells:
            cell.width = Mm(layout.BLOCK_WIDTH_MM * share)


def render_docx(documents: list[Document], *, title: str, cover: Cover | None = None) -> bytes:
    """The documents one after the other, each from a new page, after the cover if there is one."""
    word = WordDocument()
    word.core_properties.title = title
    normal = word.styles["Normal"]
    _set_fonts(normal, layout.FANGSONG, layout.TEXT_SIZE)
    _page_setup(word)
    started = False
    if cover is not None:
        _cover(word, cover)
        started = True
    for document in documents:
        if started:
            word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _document(word, document)
        started = True
    stream = io.BytesIO()
    word.save(stream)
    return stream.getvalue()
