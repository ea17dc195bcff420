"""Comparing two revisions section by section and item by item (reports/compare.py)."""

import copy

import pytest
from django.urls import reverse

from reports import services
from reports.history.compare import ChangeStatus, compare, diff_text
from reports.history.revisions import snapshot
from reports.models import Section
from reports.templatetags.history_diff import diff_runs

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(report):
    return snapshot(report)


def item(heading, body, children=()):
    return {"heading": heading, "body": f"<p>{body}</p>", "children": list(children)}


def statuses(section_change):
    return [(change.status, change.old_number, change.new_number) for change in section_change.items]


def test_identical_contents_have_no_changes(content):
    comparison = compare(content, copy.deepcopy(content))

    assert not comparison.has_changes
    assert comparison.counts["changed"] == comparison.counts["added"] == comparison.counts["removed"] == 0


def test_a_changed_body_is_a_changed_item_with_the_changed_characters_marked(content):
    new = copy.deepcopy(content)
    new["sections"][0]["items"][0] = item("完善决策制度", "街道健全各种行政决策制度。")
    content["sections"][0]["items"][0] = item("完善决策制度", "街道完善各种行政决策制度。")

    change = compare(content, new).sections[0].items[0]

    assert change.status == ChangeStatus.CHANGED
    assert change.body.old == [("equal", "街道"), ("delete", "完善"), ("equal", "各种行政决策制度。")]
    assert change.body.new == [("equal", "街道"), ("insert", "健全"), ("equal", "各种行政决策制度。")]
    assert not change.heading.changed


def test_an_item_inserted_in_the_middle_is_added_and_the_others_are_unchanged(content):
    new = copy.deepcopy(content)
    new["sections"][0]["items"].insert(1, item("新增的一条", "这是新增的工作内容。"))

    section = compare(content, new).sections[0]

    assert statuses(section) == [
        (ChangeStatus.UNCHANGED, "（一）", "（一）"),
        (ChangeStatus.ADDED, "", "（二）"),
        (ChangeStatus.UNCHANGED, "（二）", "（三）"),
    ]
    assert section.items[1].body.new == [("insert", "这是新增的工作内容。")]


def test_a_removed_item_is_removed(content):
    new = copy.deepcopy(content)
    removed = new["sections"][1]["items"].pop(0)

    section = compare(content, new).sections[1]

    assert statuses(section) == [(ChangeStatus.REMOVED, "（一）", ""), (ChangeStatus.UNCHANGED, "（二）", "（一）")]
    assert section.items[0].heading.old == [("delete", removed["heading"])]


def test_an_item_whose_heading_was_reworded_is_matched_by_similarity(content):
    content["sections"][0]["items"] = [
        item("完善决策制度，推动决策依法民主", "街道完善各种行政决策制度，严格规范程序。一是各方联动决策制度。"),
        item("加大宣传力度，营造浓厚法治氛围", "积极推动各单位各部门自觉承担普法工作责任。"),
    ]
    new = copy.deepcopy(content)
    new["sections"][0]["items"][0]["heading"] = "健全决策机制，推进决策依法民主"

    section = compare(content, new).sections[0]

    assert statuses(section) == [
        (ChangeStatus.CHANGED, "（一）", "（一）"),
        (ChangeStatus.UNCHANGED, "（二）", "（二）"),
    ]


def test_an_item_replaced_by_unrelated_text_is_a_removal_and_an_addition(content):
    content["sections"][0]["items"] = [item("完善决策制度", "街道完善各种行政决策制度，严格规范程序。")]
    new = copy.deepcopy(content)
    new["sections"][0]["items"] = [item("开展扫黑除恶专项斗争", "联合公安派出所摸排线索十二条。")]

    section = compare(content, new).sections[0]

    assert [change.status for change in section.items] == [ChangeStatus.REMOVED, ChangeStatus.ADDED]


def test_sub_items_are_compared_within_their_item(content):
    content["sections"][0]["items"] = [item("完善制度", "正文", children=[item("", "第一点。")])]
    new = copy.deepcopy(content)
    new["sections"][0]["items"][0]["children"].append(item("", "第二点，新增。"))

    change = compare(content, new).sections[0].items[0]

    assert change.status == ChangeStatus.CHANGED
    assert [(c.status, c.new_number) for c in change.children] == [
        (ChangeStatus.UNCHANGED, "1."),
        (ChangeStatus.ADDED, "2."),
    ]


def test_sections_are_matched_by_kind_and_position(content):
    content["sections"] = [section for section in content["sections"] if section["kind"] != "other"]
    new = copy.deepcopy(content)
    new["sections"].append({"kind": "other", "heading": "其他需要报告的情况", "intro": "<p>无。</p>", "items": []})
    new["sections"].pop(1)

    sections = compare(content, new).sections

    assert [(s.kind_label, s.status) for s in sections] == [
        ("主要举措和成效", ChangeStatus.UNCHANGED),
        ("存在不足和原因", ChangeStatus.REMOVED),
        ("党政主要负责人履行推进法治建设第一责任人职责情况", ChangeStatus.UNCHANGED),
        ("下一年度工作安排", ChangeStatus.UNCHANGED),
        ("其他需要报告的情况", ChangeStatus.ADDED),
    ]
    assert all(change.status == ChangeStatus.REMOVED for change in sections[1].items)


def test_changed_report_fields_are_listed_with_labels(content):
    new = copy.deepcopy(content)
    new["title"] = content["title"] + "（修订）"
    new["tags"] = ["法治政府"]

    labels = [change.label for change in compare(content, new).changed_fields]

    assert labels == ["标题", "标签"]


def test_diff_text_works_character_by_character_on_chinese():
    diff = diff_text("聘请4名律师组成法律顾问团", "聘请5名律师组成法律顾问团")

    assert diff.old == [("equal", "聘请"), ("delete", "4"), ("equal", "名律师组成法律顾问团")]
    assert diff.new == [("equal", "聘请"), ("insert", "5"), ("equal", "名律师组成法律顾问团")]


def test_diff_text_folds_a_single_shared_character_between_two_changes():
    diff = diff_text("甲的乙", "丙的丁")

    assert diff.old == [("delete", "甲的乙")]
    assert diff.new == [("insert", "丙的丁")]


def test_diff_text_of_equal_and_empty_texts():
    assert not diff_text("相同", "相同").changed
    assert diff_text("", "").old == diff_text("", "").new == []
    assert diff_text("", "新").new == [("insert", "新")]


def test_diff_runs_filter_escapes_every_text_and_marks_only_the_changes():
    html = diff_runs([("equal", "<b>甲"), ("delete", "<script>"), ("insert", "&乙")])

    assert html == "&lt;b&gt;甲<del>&lt;script&gt;</del><ins>&amp;乙</ins>"


def test_added_sections_without_items_are_counted_as_added_parts(content):
    new = copy.deepcopy(content)
    new["sections"].append({"kind": "other", "heading": "其他需要报告的情况", "intro": "<p>无。</p>", "items": []})
    new["sections"].append({"kind": "other", "heading": "其他情况二", "intro": "", "items": []})

    comparison = compare(content, new)

    assert comparison.section_counts == {"added": 2, "removed": 0, "changed": 0, "unchanged": 5}
    assert comparison.counts["added"] == 0


def test_the_compare_page_labels_an_added_sections_heading_as_added(client, report, clerk):
    Section.objects.create(report=report, kind="other", heading="其他情况", order=9)
    services.record_edit(report=report, user=clerk)
    client.force_login(clerk)

    page = client.get(reverse("admin:reports_report_history_compare", args=[report.pk])).content.decode()

    assert "部分：新增 1 个，删除 0 个，修改 0 个，未改动 5 个。" in page
    section_table = page[page.rindex("其他需要报告的情况 <span") :]  # the added one comes after the existing 其他
    heading_row = section_table[section_table.index("history-section-heading") :][:400]
    assert '<span class="history-badge">新增</span>' in heading_row
    assert "修改" not in heading_row
