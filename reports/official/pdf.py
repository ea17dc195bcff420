"""PDF in the GB/T 9704-2012 layout, set on the page grid with reportlab, fonts embedded.

Text is set line by line on the grid of 22 lines × 28 characters: lines are broken
with the usual rules for Chinese (no closing punctuation at a line's start, no opening
one at its end) and justified to the text block, except a paragraph's last line. Each
line is drawn as text runs, so copying from the PDF gives the text back; the embedded
TrueType subsets carry a ToUnicode map built from the characters drawn, so 民 and 门
come back as themselves even from a font that also maps the radicals ⺠ and ⻔ to them.
"""

import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from reports.official import layout
from reports.official.layout import Block, Cover, Document

MM = 72 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = layout.PAGE_WIDTH_MM * MM, layout.PAGE_HEIGHT_MM * MM
BLOCK_WIDTH = layout.BLOCK_WIDTH_MM * MM
BLOCK_TOP = PAGE_HEIGHT - layout.TOP_MM * MM
BLOCK_BOTTOM = layout.BOTTOM_MM * MM
PITCH = layout.BLOCK_HEIGHT_MM * MM / layout.LINES_PER_PAGE
# 28 characters of 3号 fill the 156 mm line only slightly closer than their em (15.79 pt a character).
CELL = BLOCK_WIDTH / layout.CHARS_PER_LINE

FONT_SETTINGS = {
    layout.TITLE: "OFFICIAL_FONT_SONG",
    layout.SONG: "OFFICIAL_FONT_SONG",
    layout.FANGSONG: "OFFICIAL_FONT_FANGSONG",
    layout.HEI: "OFFICIAL_FONT_HEI",
    layout.KAI: "OFFICIAL_FONT_KAI",
}
FALLBACK_SETTING = "OFFICIAL_FONT_FALLBACK"

NOT_AT_LINE_START = set("，。、；：？！）》」』”’】〕〉…—·%,.;:?!)]}％")
NOT_AT_LINE_END = set("（《「『“‘【〔〈([{")

# Cover table of a combined document: 小四 text, column widths in characters of it.
OVERHANG = 0.5
TABLE_SIZE = 12
TABLE_LEADING = 18
TABLE_PADDING = 4


@functools.cache
def _register(value: str) -> str:
    """Register the TrueType font a setting names ("path" or "path#index") and return its name."""
    path, _sep, index = value.partition("#")
    if not Path(path).is_file():
        raise ImproperlyConfigured(
            f"official document font {path!r} is missing: install the Debian packages named in the README "
            "or point the OFFICIAL_FONT_* settings at TrueType fonts"
        )
    name = "official-" + hashlib.sha256(value.encode()).hexdigest()[:12]
    pdfmetrics.registerFont(TTFont(name, path, subfontIndex=int(index or 0)))
    return name


def font_for(face: str) -> str:
    return _register(getattr(settings, FONT_SETTINGS[face]))


def fallback_font() -> str:
    return _register(getattr(settings, FALLBACK_SETTING))


def _has_glyph(font: str, char: str) -> bool:
    return ord(char) in pdfmetrics.getFont(font).face.charToGlyph


def runs(text: str, font: str) -> list[tuple[str, str]]:
    """(font, text) pieces of ``text``: the face's font, or the fallback for characters it lacks."""
    fallback = fallback_font()
    pieces: list[tuple[str, str]] = []
    for char in text:
        chosen = font if _has_glyph(font, char) or not _has_glyph(fallback, char) else fallback
        if pieces and pieces[-1][0] == chosen:
            pieces[-1] = (chosen, pieces[-1][1] + char)
        else:
            pieces.append((chosen, char))
    return pieces


def width(text: str, font: str, size: float, char_space: float = 0) -> float:
    return sum(pdfmetrics.stringWidth(piece, name, size) for name, piece in runs(text, font)) + char_space * len(text)


def wrap(text: str, font: str, size: float, first: float, rest: float, char_space: float) -> list[str]:
    """Break ``text`` into lines of at most ``first`` points (the first line) and ``rest`` (the others)."""
    lines: list[str] = []
    current, used = "", 0.0
    for char in text:
        advance = width(char, font, size) + char_space
        room = first if not lines else rest
        # A hair of tolerance: 28 characters of 3号 overhang the 156 mm by 0.07 mm, as in Word.
        if current and used + advance - char_space > room + OVERHANG:
            if char in NOT_AT_LINE_START and len(current) > 1:
                # Push the last character down with it, rather than start a line with a comma.
                char, current = current[-1] + char, current[:-1]
            elif current[-1] in NOT_AT_LINE_END and len(current) > 1:
                char, current = current[-1] + char, current[:-1]
            lines.append(current)
            current, used = char, width(char, font, size, char_space)
            continue
        current += char
        used += advance
    if current or not lines:
        lines.append(current)
    return lines


@dataclass
class Grid:
    """The pages being drawn: the current page and the next free line of its grid."""

    canvas: Canvas
    page: int = 1
    row: int = 0

    @property
    def left(self) -> float:
        """The binding side alternates in double-sided printing: left on odd pages, right on even ones."""
        return (layout.BINDING_MM if self.page % 2 else layout.OUTER_MM) * MM

    def baseline(self, font: str, size: float) -> float:
        ascent = pdfmetrics.getFont(font).face.ascent / 1000 * size
        return BLOCK_TOP - self.row * PITCH - ascent

    def new_page(self) -> None:
        self.finish_page()
        self.canvas.showPage()
        self.page += 1
        self.row = 0

    def finish_page(self) -> None:
        """The page number: 4号, "— 1 —", 7 mm under the text block, outside edge with one character's room."""
        font = font_for(layout.SONG)
        size = layout.PAGE_NUMBER_SIZE
        text = f"— {self.page} —"
        y = BLOCK_BOTTOM - layout.PAGE_NUMBER_GAP_MM * MM - pdfmetrics.getFont(font).face.ascent / 1000 * size
        if self.page % 2:
            x = self.left + BLOCK_WIDTH - size - width(text, font, size)
        else:
            x = self.left + size
        draw(self.canvas, x, y, text, font, size, 0)

    def need(self, rows: int) -> None:
        if self.row + rows > layout.LINES_PER_PAGE:
            self.new_page()

    def advance(self, rows: int = 1) -> None:
        # Lazily: a page is started only when a line needs it, so none is left empty at the end.
        self.row += rows


def draw(canvas: Canvas, x: float, y: float, text: str, font: str, size: float, char_space: float) -> None:
    """One line as text runs, each placed where the previous one ended."""
    for name, piece in runs(text, font):
        obj = canvas.beginText(x, y)
        obj.setFont(name, size)
        obj.setCharSpace(char_space)
        obj.textOut(piece)
        canvas.drawText(obj)
        x += pdfmetrics.stringWidth(piece, name, size) + char_space * len(piece)


def _paragraph(grid: Grid, block: Block) -> None:
    size = layout.TEXT_SIZE
    font = font_for(block.face)
    base_space = CELL - size
    indent = 2 * CELL
    lines = wrap(block.text, font, size, BLOCK_WIDTH - indent, BLOCK_WIDTH, base_space)
    if block.kind != layout.BODY:
        # A heading is never the last line of a page.
        grid.need(len(lines) + 1)
    for index, line in enumerate(lines):
        grid.need(1)
        x = grid.left + (indent if index == 0 else 0)
        room = BLOCK_WIDTH - (indent if index == 0 else 0)
        space = base_space
        if index < len(lines) - 1 and len(line) > 1:
            # The last glyph takes its whole em, not a cell: the line ends exactly at the block's edge.
            space += (room - width(line, font, size, base_space) + base_space) / (len(line) - 1)
        draw(grid.canvas, x, grid.baseline(font, size), line, font, size, space)
        grid.advance()


def _title(grid: Grid, text: str) -> None:
    size = layout.TITLE_SIZE
    font = font_for(layout.TITLE)
    for line in wrap(text, font, size, BLOCK_WIDTH, BLOCK_WIDTH, 0):
        grid.need(1)
        x = grid.left + (BLOCK_WIDTH - width(line, font, size)) / 2
        draw(grid.canvas, x, grid.baseline(font, size), line, font, size, 0)
        grid.advance()
    grid.advance()  # one empty line between title and text


def _signature(grid: Grid, blocks: list[Block]) -> None:
    """Issuing bodies and date (§7.3.5.2): two characters from the right, the date two characters in."""
    size = layout.TEXT_SIZE
    font = font_for(layout.FANGSONG)
    names = [block.text for block in blocks if block.kind == layout.SIGNATORY]
    dates = [block.text for block in blocks if block.kind == layout.DATE]
    right = BLOCK_WIDTH - 2 * CELL
    names_x = right - max((width(name, font, size, CELL - size) for name in names), default=0)
    date_x = names_x + 2 * CELL
    if dates and date_x + width(dates[0], font, size, CELL - size) > right:
        date_x = right - width(dates[0], font, size, CELL - size)
        names_x = date_x - 2 * CELL
    grid.need(len(names) + len(dates) + 1)
    grid.advance()
    for text, x in [*((name, names_x) for name in names), *((text, date_x) for text in dates)]:
        grid.need(1)
        draw(grid.canvas, grid.left + x, grid.baseline(font, size), text, font, size, CELL - size)
        grid.advance()


def _document(grid: Grid, document: Document) -> None:
    body = [block for block in document.blocks if block.kind not in (layout.SIGNATORY, layout.DATE)]
    for block in body:
        if block.kind == layout.TITLE_BLOCK:
            _title(grid, block.text)
        else:
            _paragraph(grid, block)
    ending = [block for block in document.blocks if block.kind in (layout.SIGNATORY, layout.DATE)]
    if ending:
        _signature(grid, ending)


def _cover(grid: Grid, cover: Cover) -> None:
    _title(grid, cover.title)
    canvas = grid.canvas
    font, head_font = font_for(layout.FANGSONG), font_for(layout.HEI)
    widths = [share * BLOCK_WIDTH for share in cover.widths]
    y = grid.baseline(font, layout.TEXT_SIZE) + pdfmetrics.getFont(font).face.ascent / 1000 * layout.TEXT_SIZE

    def row_lines(cells, cell_font):
        return [
            wrap(cell, cell_font, TABLE_SIZE, w - 2 * TABLE_PADDING, w - 2 * TABLE_PADDING, 0)
            for cell, w in zip(cells, widths, strict=True)
        ]

    def draw_row(cells, cell_font, top):
        lines = row_lines(cells, cell_font)
        height = max(len(cell) for cell in lines) * TABLE_LEADING + 2 * TABLE_PADDING
        x = grid.left
        for cell, w in zip(lines, widths, strict=True):
            canvas.rect(x, top - height, w, height)
            for index, line in enumerate(cell):
                baseline = top - TABLE_PADDING - (index + 1) * TABLE_LEADING + 4
                draw(canvas, x + TABLE_PADDING, baseline, line, cell_font, TABLE_SIZE, 0)
            x += w
        return top - height

    y = draw_row(cover.header, head_font, y)
    for cells in cover.rows:
        height = max(len(cell) for cell in row_lines(cells, font)) * TABLE_LEADING + 2 * TABLE_PADDING
        if y - height < BLOCK_BOTTOM:
            grid.new_page()
            y = draw_row(cover.header, head_font, BLOCK_TOP)
        y = draw_row(cells, font, y)


def render_pdf(documents: list[Document], *, title: str, cover: Cover | None = None) -> bytes:
    """The documents one after the other, each from a new page, after the cover if there is one."""
    stream = io.BytesIO()
    # Every page and text object starts in the canvas's initial font: an embedded one, not Helvetica.
    canvas = Canvas(
        stream,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        pageCompression=1,
        invariant=1,
        initialFontName=font_for(layout.FANGSONG),
        initialFontSize=layout.TEXT_SIZE,
    )
    canvas.setTitle(title)
    canvas.setCreator(settings.PORTAL_SITE_NAME)
    grid = Grid(canvas)
    started = False
    if cover is not None:
        _cover(grid, cover)
        started = True
    for document in documents:
        if started:
            grid.new_page()
        _document(grid, document)
        started = True
    grid.finish_page()
    canvas.showPage()
    canvas.save()
    return stream.getvalue()
