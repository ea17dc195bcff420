"""Admin pages speak Chinese and name people consistently; nothing links to a page the reader may not open."""

import shutil
import subprocess

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.factories import change_url, page_form_data


def page_text(response) -> str:
    return " ".join(lxml.html.fromstring(response.content.decode()).text_content().split())


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Model name", "名称"),
        ("Add link", "增加"),
        ("Change or view list link", "修改或查看"),
        ("Select %s to change", "选择要修改的%s"),
        (" By %(filter_title)s ", "按%(filter_title)s"),
    ],
)
def test_djangos_untranslated_admin_strings_have_our_chinese(english, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(english) == chinese


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_compiled_catalogues_match_their_source(tmp_path, settings, domain):
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (gettext) is not installed")
    folder = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES"
    compiled = tmp_path / f"{domain}.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(folder / f"{domain}.po")], check=True)
    assert compiled.read_bytes() == (folder / f"{domain}.mo").read_bytes(), "run msgfmt after editing the .po"


def test_permissions_are_offered_in_words(client, superuser):
    client.force_login(superuser)

    response = client.get(reverse("admin:auth_group_add"))

    labels = [label for _value, label in response.context["adminform"].form.fields["permissions"].choices]
    assert "法治政府建设报告 | 可增加报告" in labels
    assert "法治政府建设报告 | 可审核所有单位的报告" in labels
    assert not [label for label in labels if "Can " in label]


def test_an_auditor_sees_no_form_only_fields_as_none(client, report):
    client.force_login(factories.make_auditor())

    text = page_text(client.get(change_url(report)))

    assert "Change comment" not in text
    assert "Expected version" not in text
    assert "修改说明" not in text


def test_the_header_greets_in_chinese_punctuation(client, organization):
    clerk = factories.make_clerk(organization, first_name="张三")
    client.force_login(clerk)

    assert "欢迎，张三。" in page_text(client.get(reverse("admin:index")))


def test_history_lists_name_people_as_the_workflow_panel_does(client, report, clerk):
    clerk.first_name = "张三"
    clerk.save()
    client.force_login(clerk)

    revisions = page_text(client.get(reverse("admin:reports_revision_changelist")))
    events = page_text(client.get(reverse("admin:reports_workflowevent_changelist")))

    assert "张三" in revisions and clerk.username not in revisions
    assert "张三" in events and clerk.username not in events


def test_history_records_show_yes_and_no_and_link_no_user_page(client, published_report, clerk):
    event = published_report.events.get(action="approve")
    client.force_login(clerk)

    response = client.get(reverse("admin:reports_workflowevent_change", args=[event.pk]))

    document = lxml.html.fromstring(response.content.decode())
    assert "是" in document.xpath("string(//div[contains(@class, 'field-secrecy_checked_text')])")
    assert not document.xpath("//img[@alt='True' or @alt='False']")
    assert not [href for href in document.xpath("//a/@href") if "/auth/user/" in href]


def test_a_clerk_is_not_linked_to_the_unit_page_they_may_not_open(client, report, clerk):
    client.force_login(clerk)

    document = lxml.html.fromstring(client.get(change_url(report)).content.decode())

    assert not [href for href in document.xpath("//a/@href") if "/reports/organization/" in href]
    assert report.organization.name in document.xpath("string(//div[contains(@class, 'field-organization_name')])")


def test_the_list_title_and_filters_read_naturally(client, report, clerk):
    client.force_login(clerk)

    text = page_text(client.get(reverse("admin:reports_report_changelist")))

    assert "选择要修改的报告" in text
    assert "按发布机构" in text


def test_the_add_page_starts_a_one_unit_clerk_on_their_unit_and_last_year(client, organization, clerk, clock):
    client.force_login(clerk)

    form = client.get(reverse("admin:reports_report_add")).context["adminform"].form

    assert form.initial["organization"] == organization.pk
    assert form.initial["year"] == 2019  # the clock says May 2020: the report due is 2019's
    assert form.fields["organization"].empty_label == "（请选择单位）"


def test_an_editor_of_several_units_chooses_one(client, organization, other_organization):
    editor = factories.make_editor(organization)
    other_organization.editors.add(editor)
    client.force_login(editor)

    form = client.get(reverse("admin:reports_report_add")).context["adminform"].form

    assert "organization" not in form.initial


def summary_of(response) -> list[str]:
    document = lxml.html.fromstring(response.content.decode())
    return [" ".join(item.text_content().split()) for item in document.xpath("//div[@class='error-summary']//li")]


def test_a_refused_upload_is_named_at_the_top_of_the_page(client, report, clerk):
    client.force_login(clerk)
    data = page_form_data(client.get(change_url(report)))
    data |= {
        "attachments-TOTAL_FORMS": "1",
        "attachments-0-file": SimpleUploadedFile("安装程序.exe", b"MZ\x90\x00rest"),
        "attachments-0-display_name": "",
        "attachments-0-order": "1",
    }

    response = client.post(change_url(report), data)

    assert response.status_code == 200
    [line] = summary_of(response)
    assert line.startswith("附件 1 › 文件：“安装程序.exe”未能上传：不能上传程序或脚本文件。")
    html = response.content.decode()
    assert html.index("error-summary") < html.index('id="attachments-group"')
    link = lxml.html.fromstring(html).xpath("//div[@class='error-summary']//a/@href")
    assert link == ["#attachments-0"]


def test_errors_in_items_say_which_section_and_item(client, report, clerk):
    client.force_login(clerk)
    data = page_form_data(client.get(change_url(report)))
    data["sections-1-items-0-heading"] = "很长" * 200
    data["year"] = ""

    response = client.post(change_url(report), data)

    lines = summary_of(response)
    assert any(line.startswith("报告年度：") for line in lines)
    assert any(line.startswith("第二部分 › 条目（一）（很长很长") and "› 小标题：" in line for line in lines)
