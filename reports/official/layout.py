"""What an official document holds, in order, and the GB/T 9704-2012 measures both formats share.

A document is built from a revision's snapshot (``Revision.content``), so the document of
a published report is exactly the revision the public reads.
"""

from dataclasses import dataclass
from datetime import date

from reports.numbering import item_number, section_number, subitem_number
from reports.sanitize import html_to_text

# GB/T 9704-2012 §5.2: A4, 版心 156 mm × 225 mm, 天头 37 mm, 订口 28 mm; 22 lines of 28 characters.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
TOP_MM, BINDING_MM = 37, 28
BLOCK_WIDTH_MM, BLOCK_HEIGHT_MM = 156, 225
OUTER_MM = PAGE_WIDTH_MM - BINDING_MM - BLOCK_WIDTH_MM  # 26
BOTTOM_MM = PAGE_HEIGHT_MM - TOP_MM - BLOCK_HEIGHT_MM  # 35
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
# §7.5: the page number's dash line sits 7 mm below the text block.
PAGE_NUMBER_GAP_MM = 7

# Type sizes in points: 2号 for the title, 3号 for the text, 4号 for page numbers.
TITLE_SIZE, TEXT_SIZE, PAGE_NUMBER_SIZE = 22, 16, 14

# Typefaces by role. A .docx names the ones offices have installed; a PDF embeds free
# stand-ins configured in settings (OFFICIAL_FONT_*), see reports.official.pdf.
SONG, FANGSONG, HEI, KAI, TITLE = "song", "fangsong", "hei", "kai", "title"
DOCX_FONTS = {TITLE: "方正小标宋简体", FANGSONG: "仿宋_GB2312", HEI: "黑体", KAI: "楷体_GB2312", SONG: "宋体"}
# Latin letters and digits beside them (§5.2: 阿拉伯数字用 Times New Roman or the text face).
DOCX_LATIN_FONT = "Times New Roman"

TITLE_BLOCK, HEADING_1, HEADING_2, HEADING_3, BODY, SIGNATORY, DATE = (
    "title",
    "heading1",
    "heading2",
    "heading3",
    "body",
    "signatory",
    "date",
)
# Heading levels 一、 in 黑体, （一） in 楷体, 1. and （1） in 仿宋 (§7.3.3).
FACE_OF = {TITLE_BLOCK: TITLE, HEADING_1: HEI, HEADING_2: KAI, HEADING_3: FANGSONG, BODY: FANGSONG}


@dataclass(frozen=True)
class Block:
    """One paragraph of the document and its role."""

    kind: str
    text: str

    @property
    def face(self) -> str:
        return FACE_OF.get(self.kind, FANGSONG)


@dataclass(frozen=True)
class Document:
    title: str
    blocks: list[Block]


def _paragraphs(html: str) -> list[str]:
    return [line.strip() for line in html_to_text(html).splitlines() if line.strip()]


def _numbered(kind: str, number: str, item: dict) -> list[Block]:
    """An item's heading line and its paragraphs; without a heading the number opens its first paragraph."""
    paragraphs = _paragraphs(item["body"])
    if item["heading"]:
        return [Block(kind, number + item["heading"]), *(Block(BODY, text) for text in paragraphs)]
    if not paragraphs:
        return []
    return [Block(BODY, number + paragraphs[0]), *(Block(BODY, text) for text in paragraphs[1:])]


def chinese_date(day: date) -> str:
    """成文日期 with Arabic numerals, as GB/T 9704-2012 §7.3.5 writes it: 2020年5月27日."""
    return f"{day.year}年{day.month}月{day.day}日"


def document_of(content: dict, *, dated: date | None = None) -> Document:
    """The document of a snapshot: title, preamble, numbered parts, then issuing bodies and date.

    ``dated`` stands in for the date when the report records no 成文日期 (its publish day, say).
    """
    blocks = [Block(TITLE_BLOCK, content["title"])]
    blocks += [Block(BODY, text) for text in _paragraphs(content["preamble"])]
    for s_index, section in enumerate(content["sections"], start=1):
        blocks.append(Block(HEADING_1, section_number(s_index) + section["heading"]))
        blocks += [Block(BODY, text) for text in _paragraphs(section["intro"])]
        for i_index, item in enumerate(section["items"], start=1):
            blocks += _numbered(HEADING_2, item_number(i_index), item)
            for c_index, child in enumerate(item["children"], start=1):
                blocks += _numbered(HEADING_3, subitem_number(c_index), child)
    blocks += [Block(SIGNATORY, name) for name in content["signatories"]]
    signed = date.fromisoformat(content["signing_date"]) if content.get("signing_date") else dated
    if signed is not None:
        blocks.append(Block(DATE, chinese_date(signed)))
    return Document(title=content["title"], blocks=blocks)


def plain_text(document: Document) -> str:
    """The document's text, one paragraph a line: what copying it from a PDF must give."""
    return "\n".join(block.text for block in document.blocks)


@dataclass(frozen=True)
class Cover:
    """The first pages of a combined document: a title and a table."""

    title: str
    header: list[str]
    rows: list[list[str]]
    widths: list[float]  # shares of the text block's width
