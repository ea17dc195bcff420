"""The admin import: the form, the preview with its controls, and the save that alone writes."""

import hashlib

import lxml.html
import pytest
from django.contrib.messages import get_messages
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.admin.importing import PREVIEW_SALT
from reports.models import Item, Report, Revision, Section, SectionKind, WorkflowEvent
from tests import factories

IMPORT_URL = "admin:reports_report_import"
PREVIEW_URL = "admin:reports_report_import_preview"

SEED_TEXT = """\
磐东街道2021年度法治政府建设情况报告
来源：本网　发布时间：2022-01-12 10:00
现将2021年度法治政府建设情况报告如下：
一、主要举措和成效
（一）完善决策制度
街道完善行政决策制度。
（二）加强监督
聘请法律顾问。
二、存在不足和原因
学习不够。
揭东区人民政府网站
三、党政主要负责人履行推进法治建设第一责任人职责情况
带头学法。
四、下一年度工作安排
继续努力。
磐东街道办事处
2022年1月10日
"""


@pytest.fixture
def pandong_editor(pandong):
    return factories.make_editor(pandong)


def nothing_created() -> bool:
    return not any(model.objects.exists() for model in (Report, Section, Item, Revision, WorkflowEvent))


def state_of(response) -> str:
    return lxml.html.fromstring(response.content).xpath("//input[@name='state']/@value")[0]


def preview(client, organization, **fields):
    response = client.post(reverse(IMPORT_URL), {"organization": organization.pk, **fields})
    assert response.status_code == 200
    assert response.templates[0].name == "admin/reports/report/import_preview.html", response.content.decode()
    return response


def act(client, response, action, **fields):
    return client.post(reverse(PREVIEW_URL), {"state": state_of(response), "action": action, **fields})


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_changelist_links_to_the_import_page(client, pandong, pandong_editor, auditor):
    client.force_login(pandong_editor)
    assert reverse(IMPORT_URL) in client.get(reverse("admin:reports_report_changelist")).content.decode()
    client.force_login(auditor)
    assert reverse(IMPORT_URL) not in client.get(reverse("admin:reports_report_changelist")).content.decode()


def test_pasted_text_opens_a_preview_of_the_structure_and_stores_nothing(client, pandong, pandong_editor):
    client.force_login(pandong_editor)

    response = preview(client, pandong, text=SEED_TEXT)

    page = response.content.decode()
    assert nothing_created()
    for shown in ["磐东街道2021年度法治政府建设情况报告", "现将2021年度法治政府建设情况报告如下：", "（一）完善决策"]:
        assert shown in page
    assert "揭东区人民政府网站" in page  # among the discarded lines
    assert "原文中的发布时间 2022-01-12 10:00 不作为本网发布时间" in page
    selected = lxml.html.fromstring(response.content).xpath("//select/option[@selected]/@value")
    assert selected == ["measures", "shortcomings", "leadership", "plans"]


def test_save_creates_the_draft_as_revision_one_naming_the_source_and_its_hash(client, pandong, pandong_editor):
    client.force_login(pandong_editor)

    response = act(client, preview(client, pandong, text=SEED_TEXT), "save")

    report = Report.objects.get(organization=pandong, year=2021)
    assert response.status_code == 302
    assert response.url == reverse("admin:reports_report_change", args=[report.pk])
    assert "已导入为草稿“磐东街道2021年度法治政府建设情况报告”" in messages_of(response)[0]
    digest = hashlib.sha256(SEED_TEXT.strip().encode()).hexdigest()  # the form trims the text
    assert report.events.get().comment == f"从“粘贴的文本”导入（SHA-256：{digest}）。"
    assert report.revisions.get().number == 1
    assert report.sections.count() == 4
    assert report.imported_published_at is None


def test_legacy_checkbox_keeps_the_old_sites_publish_time(client, pandong, pandong_editor):
    client.force_login(pandong_editor)

    response = preview(client, pandong, text=SEED_TEXT, legacy="on")
    assert "不作为本网发布时间" not in response.content.decode()
    act(client, response, "save")

    report = Report.objects.get()
    assert report.imported_published_at.isoformat() == "2022-01-12T02:00:00+00:00"
    assert "原网站发布时间：2022-01-12 10:00（非本网发布时间）。" in report.events.get().comment


def test_an_uploaded_file_is_named_with_its_hash(client, pandong, pandong_editor):
    client.force_login(pandong_editor)
    data = SEED_TEXT.encode("gb18030")

    act(client, preview(client, pandong, file=SimpleUploadedFile("2021.txt", data), year="2021"), "save")

    digest = hashlib.sha256(data).hexdigest()
    assert Report.objects.get().events.get().comment == f"从“2021.txt”导入（SHA-256：{digest}）。"


def test_preview_lists_warnings(client, pandong, pandong_editor):
    client.force_login(pandong_editor)
    response = preview(client, pandong, text=SEED_TEXT.replace("2022年1月10日\n", ""))
    assert "没有找到落款日期" in response.content.decode()


def test_changing_a_sections_kind_in_the_preview_is_what_gets_saved(client, pandong, pandong_editor):
    client.force_login(pandong_editor)
    text = SEED_TEXT.replace("二、存在不足和原因", "二、群众工作情况")
    response = preview(client, pandong, text=text)
    assert "无法判断“群众工作情况”属于哪一部分" in response.content.decode()

    act(client, response, "save", **{"kind-1": "shortcomings"})

    assert Section.objects.get(heading="群众工作情况").kind == SectionKind.SHORTCOMINGS


def test_a_kind_claimed_twice_is_refused_at_save_and_the_preview_stays(client, pandong, pandong_editor):
    client.force_login(pandong_editor)

    response = act(client, preview(client, pandong, text=SEED_TEXT), "save", **{"kind-1": "measures"})

    assert response.status_code == 200
    assert "出现了不止一次" in response.content.decode()
    assert nothing_created()


@pytest.mark.parametrize(
    ("action", "check"),
    [
        ("merge-section:1", lambda report: report.sections.count() == 3),
        ("merge-item:0:1", lambda report: report.sections.get(kind="measures").items.count() == 1),
        ("split-item:1:intro:0", lambda report: report.sections.get(kind="shortcomings").items.get().heading),
        ("to-body", lambda report: report.preamble == ""),
    ],
)
def test_an_edit_in_the_preview_changes_the_structure_that_is_saved(client, pandong, pandong_editor, action, check):
    client.force_login(pandong_editor)

    edited = act(client, preview(client, pandong, text=SEED_TEXT), action)
    assert edited.status_code == 200
    assert nothing_created()
    act(client, edited, "save")

    report = Report.objects.get()
    assert check(report)
    assert "学习不够" in report.revisions.get().search_text


def test_a_tampered_preview_is_refused_and_nothing_is_stored(client, pandong, pandong_editor):
    client.force_login(pandong_editor)
    state = state_of(preview(client, pandong, text=SEED_TEXT))

    response = client.post(reverse(PREVIEW_URL), {"state": state[:-3] + "abc", "action": "save"})

    assert response.status_code == 302
    assert response.url == reverse(IMPORT_URL)
    assert "预览已失效或被改动" in messages_of(response)[0]
    assert nothing_created()


def test_a_signed_preview_for_another_organization_is_refused(client, pandong, other_organization):
    client.force_login(factories.make_clerk(pandong))
    forged = signing.dumps(
        {"organization": other_organization.pk, "year": None, "legacy": False, "source": {}, "parsed": {}},
        salt=PREVIEW_SALT,
    )

    response = client.post(reverse(PREVIEW_URL), {"state": forged, "action": "save"})

    assert response.status_code == 403
    assert nothing_created()


def test_an_unknown_action_is_a_message_not_an_error(client, pandong, pandong_editor):
    client.force_login(pandong_editor)

    response = act(client, preview(client, pandong, text=SEED_TEXT), "merge-section:99")

    assert response.status_code == 200
    assert "没有这一部分" in response.content.decode()
    assert nothing_created()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "没有标题的一段话。"}, "一级标题"),
        ({"text": ""}, "二选一"),
        ({"text": SEED_TEXT, "file": SimpleUploadedFile("a.txt", SEED_TEXT.encode())}, "二选一"),
        ({"file": SimpleUploadedFile("a.odt", b"PK")}, "只能导入 .txt、.docx 或 PDF"),
        ({"file": SimpleUploadedFile("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")}, "另存为 .docx 或导出为 PDF"),
        ({"file": SimpleUploadedFile("a.docx", b"not a zip")}, "不是有效的 Word"),
        ({"text": SEED_TEXT, "year": "1999"}, "2000"),
    ],
)
def test_import_page_shows_refusals_as_form_errors(client, pandong, pandong_editor, fields, message):
    client.force_login(pandong_editor)

    response = client.post(reverse(IMPORT_URL), {"organization": pandong.pk, **fields})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert nothing_created()


def test_a_duplicate_is_refused_at_save(client, pandong, pandong_editor):
    factories.make_report(organization=pandong, year=2021)
    client.force_login(pandong_editor)

    response = act(client, preview(client, pandong, text=SEED_TEXT), "save")

    assert response.status_code == 200
    assert "该单位这一年度的报告已经存在" in response.content.decode()
    assert Report.objects.count() == 1


def test_import_page_offers_only_organizations_the_clerk_drafts_for(client, pandong, other_organization):
    client.force_login(factories.make_clerk(pandong))

    response = client.post(reverse(IMPORT_URL), {"organization": other_organization.pk, "text": SEED_TEXT})

    assert response.status_code == 200
    assert list(response.context["form"].fields["organization"].queryset) == [pandong]
    assert nothing_created()


def test_auditors_get_403_on_both_import_pages(client, pandong, auditor):
    client.force_login(auditor)
    assert client.get(reverse(IMPORT_URL)).status_code == 403
    assert client.post(reverse(IMPORT_URL), {"organization": pandong.pk, "text": SEED_TEXT}).status_code == 403
    assert client.post(reverse(PREVIEW_URL), {"state": "x", "action": "save"}).status_code == 403
    assert nothing_created()


def test_the_preview_address_answers_only_posts(client, pandong, pandong_editor):
    client.force_login(pandong_editor)
    assert client.get(reverse(PREVIEW_URL)).status_code == 405
