"""PDF uploads, made in the test from known text: the structure must be the one the text gives."""

import io
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from reports.importing.parser import parse_report_text
from reports.importing.sources import read_upload
from reports.importing.structure import ReportTextError
from tests.reports.importing.documents import Block, image_only_pdf, pdf_with_mapped_glyphs, report_blocks, text_pdf

SEED = Path(__file__).resolve().parents[2] / "data" / "pandong_2019.txt"
TITLE = "磐东街道2019年度法治政府建设情况报告"
# The seed as the office typed it: the web page's chrome around it was never in the PDF.
CHROME = ("揭东人民政府网站", "官方微信", "来源", "相关附件", "揭东区人民政府网站")


@pytest.fixture(scope="module")
def report_text() -> str:
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    return "\n".join(line for line in lines if not line.startswith(CHROME))


@pytest.fixture(scope="module")
def seed_pdf(report_text) -> bytes:
    return text_pdf(report_blocks(report_text), header=TITLE)


def test_a_text_pdf_imports_into_the_structure_of_its_text(seed_pdf, report_text):
    source = read_upload("报告.pdf", seed_pdf)

    assert source.warnings == []
    assert parse_report_text(source.text) == parse_report_text(report_text)


def test_pdf_lines_are_joined_into_paragraphs_and_running_lines_removed(seed_pdf, report_text):
    text = read_upload("报告.pdf", seed_pdf).text

    assert text.splitlines() == report_text.splitlines()
    assert "— 2 —" not in text
    assert text.count(TITLE) == 1  # the title on page 1; the running header of every page is gone


def test_a_pdf_is_recognised_by_its_content_whatever_its_name(seed_pdf, report_text):
    assert read_upload("report.txt", seed_pdf).text == read_upload("report.pdf", seed_pdf).text


def test_radical_look_alikes_in_the_tounicode_map_become_ordinary_characters():
    """⺠ U+2EA0 and ⻔ U+2ED4 (which NFKC leaves alone), ⼀ U+2F00 and ⼯ U+2F2F (which it fixes)."""
    data = pdf_with_mapped_glyphs({"A": "\u2ea0", "B": "\u2ed4", "C": "\u2f00", "D": "\u2f2f"}, "ABCD")
    text = read_upload("look-alikes.pdf", data).text
    assert text == "\u2ea0\u2ed4\u2f00\u2f2f"  # what the file says

    report = parse_report_text(f"{text[2]}、主要举措和成效\n人民群众满意。")
    assert report.sections[0].heading == "主要举措和成效"  # ⼀、 is the heading number 一、
    assert parse_report_text(f"一、主要举措和成效\n{text}").sections[0].intro == "民门一工"


def test_a_ligature_in_the_tounicode_map_becomes_two_letters():
    data = pdf_with_mapped_glyphs({"A": "\ufb01", "B": "\u6cd5"}, "AB")
    assert parse_report_text(f"一、主要举措和成效\n{read_upload('x.pdf', data).text}").sections[0].intro == "fi法"


def test_vertical_text_comes_out_in_reading_order():
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light", isVertical=True))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("STSong-Light", 14)
    pdf.drawString(400, 700, "法治政府建设情况报告")
    pdf.save()
    # Registering the vertical face replaced the horizontal one under the same name.
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))

    assert read_upload("竖排.pdf", buffer.getvalue()).text == "法治政府建设情况报告"


def test_a_scanned_pdf_is_refused_with_a_message_saying_so():
    with pytest.raises(ReportTextError, match="没有文字层"):
        read_upload("扫描件.pdf", image_only_pdf())


def test_a_scanned_page_among_text_pages_is_named_in_a_warning(report_text):
    data = text_pdf(report_blocks(report_text), blank_pages=(2,))
    source = read_upload("报告.pdf", data)
    assert source.warnings == ["PDF 第 2 页没有文字层（可能是扫描页），该页内容未能导入，请手工补录。"]
    assert len(parse_report_text(source.text).sections) == 4


def test_a_pdf_with_an_open_password_is_refused_with_a_message():
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=StandardEncryption("secret", canPrint=0))
    pdf.drawString(72, 700, "report")
    pdf.save()
    with pytest.raises(ReportTextError, match="打开密码"):
        read_upload("加密.pdf", buffer.getvalue())


@pytest.mark.parametrize("data", [b"%PDF-1.7\n", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF"])
def test_a_broken_pdf_is_refused_with_a_message(data):
    with pytest.raises(ReportTextError, match="不是有效的 PDF"):
        read_upload("坏.pdf", data)


def test_a_centred_title_on_two_lines_is_one_title(report_text):
    title = "某某县某某镇人民政府关于二〇二〇年度法治政府建设情况的工作报告"
    blocks = [Block(title, "centre"), Block("一、主要举措和成效"), Block(report_text.splitlines()[1])]
    assert parse_report_text(read_upload("t.pdf", text_pdf(blocks)).text).title == title
