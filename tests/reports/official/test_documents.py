"""Official documents in the GB/T 9704-2012 layout: measured pages, text, embedded fonts, the .docx read back."""

import io
import re

import docx
import pypdfium2
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from reports.official import layout
from reports.official.docx import render_docx
from reports.official.layout import Document, document_of, plain_text
from reports.official.pdf import render_pdf

MM = 72 / 25.4
PAGE_NUMBER = re.compile(r"—\s*\d+\s*—")


@pytest.fixture(scope="module")
def document() -> Document:
    """A report long enough for three pages, with 民 and 门 in each face, and a character outside GB 2312."""
    paragraphs = "".join(
        f"<p>第{n}段：坚持以人民为中心，推进政务公开，开门纳谏，群众满意。{'法治政府建设' * 6}</p>" for n in range(12)
    )
    content = {
        "title": "测试街道2019年度法治政府建设情况报告",
        "preamble": "<p>现将2019年度法治政府建设情况报告如下：</p>",
        "sections": [
            {
                "kind": "measures",
                "heading": "人民满意的主要举措和成效",
                "intro": paragraphs,
                "items": [
                    {
                        "heading": "部门联动，开门问策",
                        "body": "<p>镕铸合力（镕字不在 GB 2312 中）。</p>",
                        "children": [{"heading": "民生门诊", "body": "<p>便民服务。</p>", "children": []}],
                    }
                ],
            },
            {"kind": "other", "heading": "其他需要报告的情况", "intro": "<p>无</p>", "items": []},
        ],
        "signatories": ["测试街道党工委", "测试街道办事处"],
        "signing_date": "2020-03-20",
    }
    return document_of(content)


@pytest.fixture(scope="module")
def pdf_bytes(document) -> bytes:
    return render_pdf([document], title=document.title)


def char_boxes(page):
    """(text, left, bottom, right, top) in mm of every character drawn on a page, from the font's own box."""
    text_page = page.get_textpage()
    boxes = []
    for index in range(text_page.count_chars()):
        char = text_page.get_text_range(index, 1)
        if char.strip():
            left, bottom, right, top = text_page.get_charbox(index, loose=True)
            boxes.append((char, left / MM, bottom / MM, right / MM, top / MM))
    return boxes


def test_the_pdf_is_a4(pdf_bytes):
    for page in PdfReader(io.BytesIO(pdf_bytes)).pages:
        assert float(page.mediabox.width) / MM == pytest.approx(210, abs=1)
        assert float(page.mediabox.height) / MM == pytest.approx(297, abs=1)


@pytest.mark.parametrize(("page_index", "binding_left"), [(0, True), (1, False)])
def test_the_text_block_sits_where_gb_t_9704_puts_it(pdf_bytes, page_index, binding_left):
    pdf = pypdfium2.PdfDocument(pdf_bytes)
    boxes = char_boxes(pdf[page_index])
    number_line = min(box[2] for box in boxes)
    text = [box for box in boxes if box[2] > number_line + 1]

    left = min(box[1] for box in text)
    right = max(box[3] for box in text)
    assert left == pytest.approx(28 if binding_left else 26, abs=1)
    assert 210 - right == pytest.approx(26 if binding_left else 28, abs=1)
    assert 297 - max(box[4] for box in text) == pytest.approx(37, abs=1)
    assert min(box[2] for box in text) >= 35 - 1
    # The page number's dash line: 7 mm under the text block.
    assert 35 - max(box[4] for box in boxes if box[2] <= number_line + 1) == pytest.approx(7, abs=1)


def test_a_full_page_has_22_lines_of_28_characters(pdf_bytes):
    pdf = pypdfium2.PdfDocument(pdf_bytes)
    boxes = char_boxes(pdf[1])
    lines = {}
    for char, _left, bottom, _right, _top in boxes:
        lines.setdefault(round(bottom), []).append(char)
    body_lines = [chars for _bottom, chars in sorted(lines.items(), reverse=True)][:-1]  # less the page number
    assert len(body_lines) == 22
    assert max(len(chars) for chars in body_lines) == 28


def test_the_pdf_text_is_the_reports_text(pdf_bytes, document):
    reader = PdfReader(io.BytesIO(pdf_bytes))
    extracted = "".join(PAGE_NUMBER.sub("", page.extract_text()) for page in reader.pages)

    assert re.sub(r"\s", "", extracted) == re.sub(r"\s", "", plain_text(document))
    assert "民" in extracted and "门" in extracted and "镕" in extracted
    assert "\u2ea0" not in extracted and "\u2ed4" not in extracted


def test_the_fonts_are_embedded(pdf_bytes):
    reader = PdfReader(io.BytesIO(pdf_bytes))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)[
                "/FontDescriptor"
            ].get_object()
            fonts[font["/BaseFont"]] = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts


def test_the_docx_reads_back_with_its_margins_and_fonts(document):
    word = docx.Document(io.BytesIO(render_docx([document], title=document.title)))
    section = word.sections[0]

    assert (section.page_width.mm, section.page_height.mm) == (pytest.approx(210, abs=0.1), pytest.approx(297, abs=0.1))
    assert section.top_margin.mm == pytest.approx(37, abs=0.1)
    assert section.left_margin.mm == pytest.approx(28, abs=0.1)
    assert section.right_margin.mm == pytest.approx(26, abs=0.1)
    assert section.bottom_margin.mm == pytest.approx(35, abs=0.1)
    assert word.settings.element.find(qn("w:mirrorMargins")) is not None

    def east_asian(paragraph):
        run = paragraph.runs[0]
        return run.element.rPr.rFonts.get(qn("w:eastAsia")), run.font.size.pt

    paragraphs = {paragraph.text: paragraph for paragraph in word.paragraphs}
    assert east_asian(paragraphs[document.title]) == ("方正小标宋简体", 22)
    assert east_asian(paragraphs["一、人民满意的主要举措和成效"]) == ("黑体", 16)
    assert east_asian(paragraphs["（一）部门联动，开门问策"]) == ("楷体_GB2312", 16)
    assert east_asian(paragraphs["1.民生门诊"]) == ("仿宋_GB2312", 16)
    assert east_asian(paragraphs["现将2019年度法治政府建设情况报告如下："]) == ("仿宋_GB2312", 16)
    assert paragraphs["2020年3月20日"].alignment == 2  # right
    footer = section.footer.paragraphs[0]
    assert "PAGE" in footer._p.xml and footer.text.startswith("—")
    assert [p.text for p in word.paragraphs if p.text] == [block.text for block in document.blocks]


def test_headings_use_their_faces(document):
    faces = {block.text[:3]: block.face for block in document.blocks if block.kind != layout.BODY}
    assert faces["一、人"] == layout.HEI and faces["（一）"] == layout.KAI and faces["1.民"] == layout.FANGSONG
