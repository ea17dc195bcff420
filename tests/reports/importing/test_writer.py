import hashlib
import io
import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import docx
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from reports import services
from reports.history import publication
from reports.history.hashchain import event_payload, first_break, revision_payload
from reports.importing.writer import ReportImportError, _line, import_text, import_upload, year_in_title
from reports.management.commands.import_report import Command as ImportReportCommand
from reports.models import Item, Report, ReportState, Revision, Section, SectionKind, WorkflowAction, WorkflowEvent
from reports.sanitize import plain_text, sanitize_html, text_to_html
from tests import factories

SEED = Path(__file__).resolve().parents[2] / "data" / "pandong_2019.txt"
FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "0002_pandong_2019.json"

VARIANT = """\
磐东街道2020年度法治政府建设情况报告
2020年，街道扎实推进法治政府建设，现报告如下：
一、主要举措和成效
（一）完善决策制度
1．建立联动机制。一是各方联动，二是共同议事。
2、聘请法律顾问。聘请4名律师。
（二）加强监督
加强内部监督。
二、群众工作情况
走访群众一千人次。
三、存在的问题
部分人员学习不够。
四、下一步工作计划
（一）加强学习
磐东街道党工委
2021年3月1日
"""


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def nothing_created():
    return not (
        Report.objects.exists()
        or Section.objects.exists()
        or Item.objects.exists()
        or Revision.objects.exists()
        or WorkflowEvent.objects.exists()
    )


@pytest.fixture
def pandong_clerk(pandong):
    return factories.make_clerk(pandong)


# --- The seed report ----------------------------------------------------------------


def test_seed_imports_to_the_structure_of_the_demo_fixture(pandong, pandong_clerk):
    report = import_text(
        organization=pandong, text=seed_text(), user=pandong_clerk, source_name="seed.txt", legacy=True
    ).report
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
    by_model = {}
    for row in rows:
        by_model.setdefault(row["model"], []).append(row)
    expected_report = by_model["reports.report"][0]["fields"]

    for name in ["year", "title", "preamble", "source", "signatories", "index_number", "disclosure_mode"]:
        assert getattr(report, name) == expected_report[name], name
    assert report.signing_date.isoformat() == expected_report["signing_date"]
    assert report.imported_published_at == datetime.fromisoformat(expected_report["imported_published_at"])

    expected_sections = by_model["reports.section"]
    sections = list(report.sections.order_by("order"))
    assert [(s.kind, s.heading, s.intro, s.order) for s in sections] == [
        (row["fields"]["kind"], row["fields"]["heading"], row["fields"]["intro"], row["fields"]["order"])
        for row in expected_sections
    ]
    section_position = {row["pk"]: position for position, row in enumerate(expected_sections)}
    item_rows = by_model["reports.item"]
    item_position = {row["pk"]: position for position, row in enumerate(item_rows)}
    expected_items = [
        (
            section_position[fields["section"]],
            item_position.get(fields["parent"]),
            fields["heading"],
            fields["body"],
            fields["order"],
        )
        for fields in (row["fields"] for row in item_rows)
    ]
    items = list(Item.objects.filter(section__report=report).order_by("pk"))
    pks = [item.pk for item in items]
    actual_items = [
        (
            sections.index(item.section),
            pks.index(item.parent_id) if item.parent_id else None,
            item.heading,
            item.body,
            item.order,
        )
        for item in items
    ]
    assert actual_items == expected_items


def test_seed_structure_matches_the_published_report():
    """The fixture holds the five measures, two shortcomings, the leadership intro and three plans."""
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
    sections = {row["pk"]: row["fields"] for row in rows if row["model"] == "reports.section"}
    items_per_kind = {}
    for row in rows:
        if row["model"] == "reports.item":
            items_per_kind.setdefault(sections[row["fields"]["section"]]["kind"], []).append(row)
    assert {kind: len(items) for kind, items in items_per_kind.items()} == {
        "measures": 5,
        "shortcomings": 2,
        "plans": 3,
    }
    leadership = next(fields for fields in sections.values() if fields["kind"] == "leadership")
    assert leadership["intro"].startswith("<p>充分发挥党工委在法治建设中的领导核心作用")


def test_seed_import_keeps_every_sentence_in_order(pandong, pandong_clerk):
    report = import_text(organization=pandong, text=seed_text(), user=pandong_clerk, source_name="seed.txt").report
    text = Revision.objects.get(report=report).search_text
    position = 0
    for sentence in ["现将2019年度磐东街道法治政府建设情况报告如下", "实现社区法律顾问全覆盖", "产生不良影响"]:
        found = text.find(sentence, position)
        assert found > position
        position = found
    assert "官方微信" not in text
    assert "浏览次数" not in text


def test_import_is_revision_one_with_an_import_event_naming_the_source_and_its_hash(pandong, pandong_clerk):
    report = import_text(organization=pandong, text=seed_text(), user=pandong_clerk, source_name="旧网站.txt").report

    revision = report.revisions.get()
    event = report.events.get()
    assert revision.number == 1
    assert revision.author == pandong_clerk
    assert len(revision.content["sections"]) == 4
    assert event.action == WorkflowAction.IMPORT
    assert event.revision == revision
    assert event.actor == pandong_clerk
    digest = hashlib.sha256(seed_text().encode()).hexdigest()
    assert event.comment == f"从“旧网站.txt”导入（SHA-256：{digest}）。"
    assert report.state == ReportState.DRAFT
    assert report.created_by == pandong_clerk


def test_a_legacy_import_keeps_the_old_sites_publish_time_in_shanghai_time(pandong, pandong_clerk):
    report = import_text(
        organization=pandong, text=seed_text(), user=pandong_clerk, source_name="旧网站", legacy=True, record_hash=False
    ).report
    assert report.imported_published_at == datetime(2020, 5, 27, 8, 56, tzinfo=UTC)
    assert report.events.get().comment == "从“旧网站”导入。原网站发布时间：2020-05-27 16:56（非本网发布时间）。"


def test_a_publish_time_in_the_text_is_only_a_warning_unless_the_import_is_legacy(pandong, pandong_clerk):
    result = import_text(organization=pandong, text=seed_text(), user=pandong_clerk, source_name="seed.txt")

    assert result.report.imported_published_at is None
    assert result.warnings == [
        "原文中的发布时间 2020-05-27 16:56 不作为本网发布时间；如这是从旧网站迁移的已发布报告，请勾选“从旧网站迁移”。"
    ]
    assert "原网站发布时间" not in result.report.events.get().comment


def test_a_legacy_import_without_a_publish_time_says_so(pandong, pandong_clerk):
    result = import_text(organization=pandong, text=VARIANT, user=pandong_clerk, source_name="v.txt", legacy=True)

    assert result.report.imported_published_at is None
    assert any("没有找到原网站的发布时间" in warning for warning in result.warnings)


def test_import_returns_discarded_chrome_lines_and_no_warnings_for_the_seed(pandong, pandong_clerk):
    result = import_text(
        organization=pandong, text=seed_text(), user=pandong_clerk, source_name="seed.txt", legacy=True
    )
    assert result.discarded_lines == [
        "揭东人民政府网站",
        "官方微信",
        "来源:本网 发布时间:2020-05-27 16:56 浏览次数:- 【字体: 分享到:",
        "相关附件:",
        "揭东区人民政府网站",
    ]
    assert result.warnings == []


# --- Variants --------------------------------------------------------------------------


def test_three_levels_with_full_width_parentheses_become_items_and_sub_items(pandong, pandong_clerk):
    report = import_text(organization=pandong, text=VARIANT, user=pandong_clerk, source_name="v.txt").report

    measures = report.sections.get(kind=SectionKind.MEASURES)
    decision, supervision = measures.items.filter(parent=None)
    assert decision.heading == "完善决策制度"
    assert [(child.heading, child.body, child.order) for child in decision.children.all()] == [
        ("建立联动机制", "<p>一是各方联动，二是共同议事。</p>", 1),
        ("聘请法律顾问", "<p>聘请4名律师。</p>", 2),
    ]
    assert supervision.body == "<p>加强内部监督。</p>"
    assert report.year == 2020
    assert report.signing_date == date(2021, 3, 1)
    assert report.signatories == "磐东街道党工委"


def test_a_heading_it_cannot_classify_becomes_an_other_section_with_a_warning(pandong, pandong_clerk):
    result = import_text(organization=pandong, text=VARIANT, user=pandong_clerk, source_name="v.txt")

    kinds = list(result.report.sections.order_by("order").values_list("kind", "heading"))
    assert kinds == [
        ("measures", "主要举措和成效"),
        ("other", "群众工作情况"),
        ("shortcomings", "存在的问题"),
        ("plans", "下一步工作计划"),
    ]
    assert any("群众工作情况" in warning for warning in result.warnings)
    assert result.report.sections.get(kind="other").intro == "<p>走访群众一千人次。</p>"


def test_no_signature_block_imports_with_a_warning(pandong, pandong_clerk):
    text = VARIANT.replace("磐东街道党工委\n2021年3月1日\n", "")
    result = import_text(organization=pandong, text=text, user=pandong_clerk, source_name="v.txt")

    assert result.report.signing_date is None
    assert result.report.signatories == ""
    assert result.report.signatory_list == ["磐东街道党工委", "磐东街道办事处"]
    assert any("落款日期" in warning for warning in result.warnings)


def test_page_chrome_in_the_middle_is_discarded_and_listed(pandong, pandong_clerk):
    text = VARIANT.replace("二、群众工作情况", "分享到：\n揭东区人民政府网站\n二、群众工作情况")
    result = import_text(organization=pandong, text=text, user=pandong_clerk, source_name="v.txt")

    assert result.discarded_lines == ["分享到：", "揭东区人民政府网站"]
    assert "揭东区人民政府网站" not in result.report.revisions.get().search_text


def test_markup_in_pasted_text_is_stored_as_text(pandong, pandong_clerk):
    text = VARIANT.replace("加强内部监督。", "加强<script>alert(1)</script>内部监督。")
    report = import_text(organization=pandong, text=text, user=pandong_clerk, source_name="v.txt").report

    body = Item.objects.get(section__report=report, heading="加强监督").body
    assert "<script" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_a_heading_too_long_for_its_field_opens_the_body_with_a_warning(pandong, pandong_clerk):
    long_heading = "完善制度" * 80
    text = VARIANT.replace("（二）加强监督", f"（二）{long_heading}")
    result = import_text(organization=pandong, text=text, user=pandong_clerk, source_name="v.txt")

    item = Item.objects.get(section__report=result.report, body__startswith=f"<p>{long_heading}</p>")
    assert item.heading == ""
    assert any("超过 300 字" in warning for warning in result.warnings)


def test_a_docx_upload_imports_like_text(pandong, pandong_clerk):
    document = docx.Document()
    for line in VARIANT.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)

    result = import_upload(organization=pandong, name="报告.docx", data=buffer.getvalue(), user=pandong_clerk)

    assert result.report.sections.count() == 4
    digest = hashlib.sha256(buffer.getvalue()).hexdigest()
    assert result.report.events.get().comment == f"从“报告.docx”导入（SHA-256：{digest}）。"


@given(st.text())
def test_imported_bodies_are_already_in_sanitized_form(text):
    """The importer bulk-inserts items, skipping Item.save()'s sanitize_html; that must change nothing."""
    html = text_to_html(text)
    assert sanitize_html(html) == html


@given(st.text())
def test_imported_headings_are_what_plain_text_would_make(text):
    assert _line(text) == plain_text(text)


# --- Year ----------------------------------------------------------------------------------


def test_year_defaults_to_the_one_in_the_title():
    assert year_in_title("磐东街道2019年度法治政府建设情况报告") == 2019
    assert year_in_title("法治政府建设情况报告") is None


def test_a_chosen_year_that_differs_from_the_title_is_kept_with_a_warning(pandong, pandong_clerk):
    result = import_text(organization=pandong, text=VARIANT, user=pandong_clerk, source_name="v.txt", year=2021)

    assert result.report.year == 2021
    assert any("2020" in warning and "2021" in warning for warning in result.warnings)


def test_no_year_in_the_title_and_none_chosen_is_refused(pandong, pandong_clerk):
    text = VARIANT.replace("磐东街道2020年度法治政府建设情况报告", "磐东街道法治政府建设情况报告")
    with pytest.raises(ReportImportError, match="请指定年度"):
        import_text(organization=pandong, text=text, user=pandong_clerk, source_name="v.txt")
    assert nothing_created()


# --- Refusals create nothing ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"   \n\n", "没有可导入的内容"),
        ("binary.txt", b"\x00\x01\x02ELF\x00" * 50, "二进制"),
        ("garbled.txt", bytes(range(128, 256)) * 4, "文字编码"),
        ("fake.docx", b"this is not a zip file", "不是有效的 Word"),
        ("plain.txt", "只有一段话，没有任何标题。".encode(), "一级标题"),
        ("old.doc", b"\xd0\xcf\x11\xe0", ".docx"),
        ("renamed.txt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "旧版 Word"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj garbage", "不是有效的 PDF"),
    ],
)
def test_bad_input_gives_a_clear_message_and_creates_nothing(pandong, pandong_clerk, name, data, message):
    with pytest.raises(ReportImportError, match=message):
        import_upload(organization=pandong, name=name, data=data, user=pandong_clerk)
    assert nothing_created()


def test_a_second_report_for_the_same_organization_and_year_is_refused(pandong, pandong_clerk):
    import_text(organization=pandong, text=seed_text(), user=pandong_clerk, source_name="seed.txt")

    with pytest.raises(ReportImportError, match="这一年度的报告已经存在"):
        import_text(organization=pandong, text=seed_text(), user=pandong_clerk, source_name="seed.txt")
    assert Report.objects.count() == 1
    assert Section.objects.count() == 4


def test_a_clerk_of_another_organization_cannot_import(pandong, other_clerk):
    with pytest.raises(ReportImportError, match="无权"):
        import_text(organization=pandong, text=seed_text(), user=other_clerk, source_name="seed.txt")
    assert nothing_created()


def test_an_auditor_cannot_import(pandong, auditor):
    with pytest.raises(ReportImportError, match="无权"):
        import_text(organization=pandong, text=seed_text(), user=auditor, source_name="seed.txt")
    assert nothing_created()


# --- Publishing an imported report: the time it went public here, never the pasted one ----


def _approve(report, clerk, editor):
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)


def test_a_legacy_import_is_public_from_when_it_was_published_here(pandong, pandong_clerk):
    """The seed text says 发布时间:2020-05-27 16:56; that is the old site's time, shown as such, not this portal's."""
    editor = factories.make_editor(pandong)
    report = import_text(
        organization=pandong, text=seed_text(), user=pandong_clerk, source_name="seed.txt", legacy=True
    ).report
    _approve(report, pandong_clerk, editor)

    before = timezone.now()
    services.publish(report=report, user=editor)

    public = Report.objects.published().get(pk=report.pk)
    assert public.public_since >= before
    report.refresh_from_db()
    assert report.first_published_at >= before
    assert publication.public_revision_at(report, datetime(2020, 6, 1, tzinfo=UTC)) is None


# --- The command ---------------------------------------------------------------------------


def test_command_imports_and_prints_discarded_lines(pandong, pandong_clerk, capsys):
    call_command("import_report", str(SEED), "--org", "pandong", "--user", pandong_clerk.username)

    out = capsys.readouterr().out
    report = Report.objects.get(organization=pandong, year=2019)
    assert "已导入为草稿：磐东街道2019年度法治政府建设情况报告" in out
    assert "舍弃的网页内容（5 行）" in out
    assert "  - 官方微信" in out
    assert report.created_by == pandong_clerk


def test_command_without_a_user_records_a_system_import(pandong, capsys):
    call_command("import_report", str(SEED), "--org", "pandong")

    event = Report.objects.get(organization=pandong).events.get()
    assert event.actor is None
    assert event.action == WorkflowAction.IMPORT


def test_command_prints_warnings(pandong, tmp_path, capsys):
    path = tmp_path / "variant.txt"
    path.write_text(VARIANT, encoding="utf-8")

    call_command("import_report", str(path), "--org", "pandong", "--year", "2020")

    assert "请核对（1 处）" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--org", "nowhere"], "没有网址标识为“nowhere”的单位"),
        (["--org", "pandong", "--user", "ghost"], "没有用户名为“ghost”的有效用户"),
        (["--org", "pandong", "--year", "1999"], "2000 到 2100"),
    ],
)
def test_command_refuses_bad_arguments(pandong, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_report", str(SEED), *arguments)
    assert nothing_created()


def test_command_refuses_a_missing_file(pandong, tmp_path):
    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("import_report", str(tmp_path / "missing.txt"), "--org", "pandong")


def test_command_refuses_a_duplicate(pandong):
    call_command("import_report", str(SEED), "--org", "pandong")
    with pytest.raises(CommandError, match="这一年度的报告已经存在"):
        call_command("import_report", str(SEED), "--org", "pandong")
    assert Report.objects.count() == 1


def test_command_exits_non_zero_with_the_message_on_stderr(pandong, tmp_path, capsys, monkeypatch):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    # run_from_argv closes the connections on the way out, which the test's transaction still needs.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as exit_info:
        ImportReportCommand().run_from_argv(["manage.py", "import_report", str(path), "--org", "pandong"])

    assert exit_info.value.code == 1
    assert "没有可导入的内容" in capsys.readouterr().err
    assert nothing_created()


# --- The demo fixture -----------------------------------------------------------------------


def test_demo_fixture_history_has_valid_hash_chains(db):
    call_command("load_demo_data", "--force")
    report = Report.objects.get(organization__slug="pandong", year=2019)
    assert first_break(report.revisions.order_by("number"), payload=revision_payload, position="number") is None
    assert first_break(report.events.order_by("sequence"), payload=event_payload, position="sequence") is None
    assert list(report.events.order_by("sequence").values_list("action", flat=True)) == [
        WorkflowAction.IMPORT,
        WorkflowAction.SUBMIT,
        WorkflowAction.APPROVE,
        WorkflowAction.PUBLISH,
    ]
    assert report.events.get(action=WorkflowAction.APPROVE).secrecy_checked


def test_demo_fixture_is_what_the_build_script_makes():
    """The committed fixture is regenerated from the seed by the importer and services, unchanged."""
    script = Path(settings.BASE_DIR) / "fixtures" / "build_demo_fixture.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_command_dry_run_prints_the_structure_as_json_and_stores_nothing(pandong, capsys):
    call_command("import_report", str(SEED), "--dry-run")

    printed = json.loads(capsys.readouterr().out)
    assert printed["file"] == {"name": "pandong_2019.txt", "sha256": hashlib.sha256(SEED.read_bytes()).hexdigest()}
    assert printed["year"] == 2019
    assert [section["kind"] for section in printed["sections"]] == ["measures", "shortcomings", "leadership", "plans"]
    assert printed["signatories"] == ["磐东街道党工委", "磐东街道办事处"]
    assert printed["published_at"] == "2020-05-27T16:56:00"
    assert any("不作为本网发布时间" in warning for warning in printed["warnings"])
    assert nothing_created()


def test_command_dry_run_refuses_bad_input_with_a_message(pandong, tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4\n%%EOF")
    with pytest.raises(CommandError, match="不是有效的 PDF"):
        call_command("import_report", str(path), "--dry-run")


def test_command_keeps_the_publish_time_only_when_told_the_report_is_legacy(pandong):
    call_command("import_report", str(SEED), "--org", "pandong", "--legacy-published-at")
    assert Report.objects.get().imported_published_at == datetime(2020, 5, 27, 8, 56, tzinfo=UTC)


def test_command_without_the_legacy_option_records_no_publish_time(pandong):
    call_command("import_report", str(SEED), "--org", "pandong")
    assert Report.objects.get().imported_published_at is None


def test_command_needs_an_organization_to_store(pandong):
    with pytest.raises(CommandError, match="--org"):
        call_command("import_report", str(SEED))
    assert nothing_created()
