"""The seed report, as residents read it: every sentence of the original, in order, numbered alike."""

import re

import html5lib
import pytest
from django.utils import timezone

from reports.models import Report
from tests import seed

pytestmark = pytest.mark.django_db

# "(一)" in the scraped text is "（一）" in the official style the page uses.
_ITEM_NUMBER = re.compile(r"^\(([一二三四五六七八九十]+)\)")


def seed_body_lines() -> list[str]:
    """The document as the old site printed it: from the preamble to the signing date."""
    lines = [line.strip() for line in seed.SEED_TEXT.read_text(encoding="utf-8").splitlines() if line.strip()]
    start = next(index for index, line in enumerate(lines) if line.startswith("来源")) + 1
    end = lines.index("相关附件:")
    return [_ITEM_NUMBER.sub(r"（\1）", line) for line in lines[start:end]]


def sentences(text: str) -> list[str]:
    return [sentence + "。" for sentence in text.split("。") if sentence] if text.endswith("。") else text.split("。")


def element_text(response, css_class: str) -> str:
    root = html5lib.parse(response.content, treebuilder="etree", namespaceHTMLElements=False)
    element = next(node for node in root.iter() if css_class in (node.get("class") or "").split())
    return "".join("".join(element.itertext()).split())


@pytest.fixture(params=["demo fixture", "importer"])
def seed_report(request):
    return seed.load_seed_fixture() if request.param == "demo fixture" else seed.import_seed_report()


def test_every_sentence_of_the_seed_appears_in_order_with_its_numbering(client, seed_report):
    response = client.get("/reports/2019/pandong/")
    assert response.status_code == 200
    rendered = element_text(response, "article-body")
    expected = "".join("".join(line.split()) for line in seed_body_lines())

    position = 0
    for sentence in sentences(expected):
        found = rendered.find(sentence, position)
        assert found >= 0, f"missing or out of order: {sentence}"
        position = found + len(sentence)
    # Nothing was added either: the body is the seed's text and nothing else.
    assert rendered == expected


def test_seed_article_shows_when_it_went_public_here_and_the_old_sites_time_as_such(client, seed_report):
    response = client.get("/reports/2019/pandong/")
    assert element_text(response, "article-title") == "磐东街道2019年度法治政府建设情况报告"
    meta = element_text(response, "article-meta")
    published = timezone.localtime(Report.objects.get(pk=seed_report.pk).first_published_at)
    assert meta.startswith(f"来源：本网发布时间：{published:%Y-%m-%d%H:%M}原网站发布时间：2020-05-2716:56浏览次数：1")


def test_seed_sections_are_numbered_one_to_four(client, seed_report):
    response = client.get("/reports/2019/pandong/")
    root = html5lib.parse(response.content, treebuilder="etree", namespaceHTMLElements=False)
    headings = ["".join(node.itertext()) for node in root.iter("h2") if "section-heading" in node.get("class", "")]
    assert headings == [
        "一、主要举措和成效",
        "二、存在不足和原因",
        "三、党政主要负责人推进法治建设情况",
        "四、下一年度法治建设主要工作安排",
    ]
