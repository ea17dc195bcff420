"""The walk over every text of a report, and the demo report checked clean."""

import pytest

from reports.checking.checker import check_content
from reports.checking.findings import rich_text
from reports.checking.review import findings_of
from reports.checking.wordlists import Word, WordList
from reports.models import SectionKind
from reports.sanitize import html_to_text
from tests import seed

TYPO = WordList([Word("布署", "部署", "warn", "typo")])


def content(**overrides) -> dict:
    sections = [
        {
            "kind": kind,
            "heading": str(kind.label),
            "intro": "<p>引言。</p>",
            "items": [{"heading": "条目", "body": "<p>正文。</p>", "children": []}],
        }
        for kind in SectionKind.required()
    ]
    return {
        "year": 2019,
        "title": "测试街道2019年度法治政府建设情况报告",
        "preamble": "<p>现将情况报告如下：</p>",
        "sections": sections,
        "signatories": ["测试街道办事处"],
        "attachments": [],
        **overrides,
    }


def test_a_complete_clean_report_has_no_findings():
    assert check_content(content(), wordlist=TYPO) == []


def test_every_text_of_a_report_is_checked_and_located():
    report = content(title="测试街道布署报告", preamble="<p>全面布署。</p>", signatories=["布署办公室"])
    first = report["sections"][0]
    first["heading"] = "主要布署"
    first["intro"] = "<p>引言布署。</p>"
    first["items"][0] = {
        "heading": "条目布署",
        "body": "<p>正文布署。</p>",
        "children": [{"heading": "子条目布署", "body": "<p>子正文布署。</p>"}],
    }
    report["attachments"] = [{"name": "布署方案.pdf", "content_type": "application/pdf"}]
    located = [(finding.field, finding.location) for finding in check_content(report, wordlist=TYPO)]
    assert located == [
        ("title", "标题"),
        ("preamble", "导语"),
        ("sections.0.heading", "一、标题"),
        ("sections.0.intro", "一、引言"),
        ("sections.0.items.0.heading", "一、（一）标题"),
        ("sections.0.items.0.body", "一、（一）正文"),
        ("sections.0.items.0.children.0.heading", "一、（一）1.标题"),
        ("sections.0.items.0.children.0.body", "一、（一）1.正文"),
        ("signatories", "落款"),
        ("attachments.0.name", "附件名称"),
    ]


def test_a_finding_carries_the_sentence_around_it_with_the_wrong_text_marked():
    report = content(preamble="<p>今年工作顺利。我们全面布署了任务！明年继续。</p>")
    (finding,) = check_content(report, wordlist=TYPO)
    assert finding.context == "我们全面布署了任务！"
    assert finding.highlighted == ("我们全面", "布署", "了任务！")


def test_missing_and_empty_statutory_parts_are_block_level():
    report = content()
    report["sections"] = [
        {**report["sections"][0]},
        {**report["sections"][1], "intro": "<p> </p>", "items": []},
        {**report["sections"][2], "intro": "", "items": [{"heading": "履职情况", "body": "", "children": []}]},
    ]
    findings = check_content(report, wordlist=TYPO)
    assert [(finding.rule, finding.text, finding.severity, finding.location) for finding in findings] == [
        ("structure.part.missing", str(SectionKind.PLANS.label), "block", "报告结构"),
        ("structure.part.empty", str(SectionKind.SHORTCOMINGS.label), "block", "报告结构"),
    ]


@pytest.mark.parametrize(
    "html",
    [
        "<p>第一段。</p><p>第二段 <strong>加粗</strong> 文字。</p>",
        "<ul><li>一项</li><li>二项</li></ul>尾巴",
        "<table><tr><td>单元格一</td><td>单元格二</td></tr></table>",
        '<p>详见<a href="https://www.gov.cn/" rel="noopener noreferrer nofollow">链接</a>。<br>换行</p>',
        "纯文字 &amp; 实体&lt;",
    ],
)
def test_rich_text_reads_stored_html_into_the_same_lines_as_the_search_index(html):
    assert rich_text(html) == html_to_text(html)


def test_the_year_of_the_report_limits_dated_entries():
    names = WordList([Word("国家工商行政管理总局", "国家市场监督管理总局", "block", "institution", since_year=2018)])
    report = content(preamble="<p>国家工商行政管理总局来调研。</p>")
    assert check_content({**report, "year": 2017, "title": "2017年度报告"}, wordlist=names) == []
    assert [finding.suggestion for finding in check_content(report, wordlist=names)] == ["国家市场监督管理总局"]


@pytest.mark.django_db
@pytest.mark.parametrize("load", [seed.load_seed_fixture, seed.import_seed_report])
def test_the_demo_report_has_no_findings(load):
    """As the demo fixture holds it, and as a clerk's import of the seed text makes it (which then passes the gates)."""
    report = load()
    assert findings_of(report.revisions.order_by("-number").first()) == []
