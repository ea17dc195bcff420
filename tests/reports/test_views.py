"""The article page residents read: exactly the published revision, counted, in the document's form."""

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import html5lib
import pytest
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import Item, Report, Revision, SectionKind
from reports.public.views.articles import render_article_body
from reports.templatetags.report_text import section_template
from tests import factories

pytestmark = pytest.mark.django_db


def text_of(response, selector_class: str | None = None) -> str:
    """The visible text of the page, or of the first element with ``selector_class``, without whitespace."""
    root = html5lib.parse(response.content, treebuilder="etree", namespaceHTMLElements=False)
    if selector_class:
        root = next(element for element in root.iter() if selector_class in (element.get("class") or "").split())
    return "".join("".join(root.itertext()).split())


def publish(report):
    """Record the working copy's changes and take them through review to the public."""
    clerk = report.created_by
    editor = report.organization.editors.first() or factories.make_editor(report.organization)
    services.record_edit(report=report, user=clerk)
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor)
    report.refresh_from_db()
    return report


def withdraw(report, *, reason="内容有误，需要更正", public=False):
    editor = report.organization.editors.first()
    return services.withdraw(report=report, user=editor, reason=reason, reason_is_public=public)


def republish_with_edit(report, *, preamble: str, note: str = "", note_is_public: bool = False):
    """A clerk edits the published report; it goes through review again and is republished."""
    clerk, editor = report.created_by, report.organization.editors.first()
    report.preamble = preamble
    report.save()
    services.record_edit(report=report, user=clerk, comment="更正")
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor, note=note, note_is_public=note_is_public)
    report.refresh_from_db()
    return report


# --- What is shown -------------------------------------------------------------------------------
def test_article_lives_at_year_and_organization_slug(client, published_report):
    url = f"/reports/2019/{published_report.organization.slug}/"
    assert published_report.get_absolute_url() == url
    assert client.get(url).status_code == 200


def test_article_shows_title_breadcrumb_and_meta_row(client, published_report, organization):
    response = client.get(published_report.get_absolute_url())

    breadcrumb = text_of(response, "breadcrumbs")
    assert breadcrumb == f"当前位置：首页法治政府建设{organization.name}{published_report.title}"
    header = text_of(response, "article-header")
    assert published_report.title in header
    assert "来源：本网" in header
    local = timezone.localtime(published_report.first_published_at)
    assert f"发布时间：{local:%Y-%m-%d%H:%M}" in header
    assert "浏览次数：1" in header
    assert "【字体：大中小】" in header
    assert "分享到：" in header
    assert "打印本页" in header


def test_publish_time_is_shown_in_shanghai_time(client, clock, organization, clerk, editor):
    clock.now = datetime(2020, 5, 27, 8, 56, tzinfo=UTC)
    report = factories.make_published_report(organization=organization, author=clerk, editor=editor)
    assert "发布时间：2020-05-2716:56" in text_of(client.get(report.get_absolute_url()), "article-meta")


def test_disclosure_box_lists_the_public_document_facts(client, organization, clerk, editor):
    report = factories.make_published_report(
        organization=organization,
        author=clerk,
        editor=editor,
        signing_date=date(2020, 5, 27),
        topic_category="政府工作/法治政府",
    )
    box = text_of(client.get(report.get_absolute_url()), "disclosure")
    assert f"索引号：{report.index_number}" in box
    assert f"发布机构：{organization.name}" in box
    assert "成文日期：2020-05-27" in box
    assert "主题分类：政府工作/法治政府" in box
    assert "公开方式：主动公开" in box


def test_sections_items_and_points_are_numbered_in_the_official_style(client, published_report):
    body = text_of(client.get(published_report.get_absolute_url()), "article-body")
    assert "一、主要举措和成效" in body
    assert "二、存在不足和原因" in body
    assert "四、下一年度工作安排" in body
    assert "（一）measures条目1" in body
    assert "（二）measures条目2" in body


def test_points_under_an_item_are_numbered_one_two(client, organization, clerk, editor):
    report = factories.make_report(organization=organization, author=clerk)
    item = Item.objects.filter(section__report=report, parent=None).first()
    for order, heading in enumerate(["第一点", "第二点"]):
        Item.objects.create(section=item.section, parent=item, heading=heading, body="<p>内容。</p>", order=order)
    publish(report)

    body = text_of(client.get(report.get_absolute_url()), "article-body")

    assert "1.第一点内容。2.第二点内容。" in body


def test_each_section_kind_has_its_own_partial(client, published_report):
    response = client.get(published_report.get_absolute_url())
    names = {template.name for template in response.templates}
    for kind in SectionKind.required():
        assert f"reports/sections/{kind}.html" in names


def test_shortcomings_and_plans_set_their_headings_run_in(client, published_report):
    """As the printed report does: “（一）heading。body…” in one paragraph."""
    body = text_of(client.get(published_report.get_absolute_url()), "article-body")
    assert "（一）shortcomings条目1。shortcomings正文1。" in body
    assert "（一）plans条目1。plans正文1。" in body
    assert "（一）measures条目1measures正文1。" in body


def test_signatories_and_signing_date_close_the_document(client, organization, clerk, editor):
    report = factories.make_published_report(
        organization=organization, author=clerk, editor=editor, signing_date=date(2020, 5, 27)
    )
    signature = text_of(client.get(report.get_absolute_url()), "signature")
    assert signature == f"{organization.name}党工委{organization.name}办事处2020年5月27日"


def test_attachments_are_listed_with_type_size_and_download_link(client, organization, clerk, editor):
    report = factories.make_report(organization=organization, author=clerk)
    attachment = report.attachments.create(
        file="attachments/2020/05/a.pdf",
        display_name="2019年度法治政府建设情况统计表.pdf",
        size=250_000,
        content_type="application/pdf",
        sha256="0" * 64,
    )
    publish(report)

    response = client.get(report.get_absolute_url())

    listing = text_of(response, "attachments")
    assert listing.startswith("相关附件2019年度法治政府建设情况统计表.pdf（PDF，")
    assert "KB" in listing
    assert reverse("reports:attachment_download", kwargs={"pk": attachment.pk}) in response.content.decode()


def test_neighbouring_years_of_the_same_organization_are_linked(client, organization, clerk, editor):
    older = factories.make_published_report(organization=organization, author=clerk, editor=editor, year=2018)
    current = factories.make_published_report(organization=organization, author=clerk, editor=editor, year=2019)
    factories.make_report(organization=organization, author=clerk, year=2020)  # a draft: not a neighbour
    factories.make_published_report(year=2020)  # another organization: not a neighbour

    neighbours = text_of(client.get(current.get_absolute_url()), "neighbours")

    assert neighbours == f"上一份（2018年度）：{older.title}"


def test_other_years_are_the_nearest_published_ones_named_with_their_year(client, organization, clerk, editor):
    """A 2025 report whose unit published nothing from 2020 to 2024 links 2019, and says so."""
    factories.make_published_report(organization=organization, author=clerk, editor=editor, year=2018)
    nearest = factories.make_published_report(organization=organization, author=clerk, editor=editor, year=2019)
    current = factories.make_published_report(organization=organization, author=clerk, editor=editor, year=2025)
    factories.make_report(organization=organization, author=clerk, year=2024)  # a draft: not a neighbour

    response = client.get(current.get_absolute_url())

    assert text_of(response, "neighbours") == f"上一份（2019年度）：{nearest.title}"
    assert f'href="{nearest.get_absolute_url()}" rel="prev"' in response.content.decode()


# --- Only the published version ---------------------------------------------------------------------
def test_article_renders_the_public_revision_not_the_edited_working_copy(client, published_report, clerk):
    published_report.preamble = "<p>尚未审核的新导语。</p>"
    published_report.title = "尚未审核的新标题"
    published_report.save()
    services.record_edit(report=published_report, user=clerk)

    response = client.get(published_report.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert "尚未审核" not in page
    assert "现将本年度法治政府建设情况报告如下" in page


@pytest.mark.parametrize("step", ["draft", "submitted", "approved"])
def test_unpublished_reports_are_not_found(client, organization, clerk, editor, step):
    report = factories.make_report(organization=organization, author=clerk)
    if step in ("submitted", "approved"):
        services.submit_for_review(report=report, user=clerk)
    if step == "approved":
        services.approve(report=report, user=editor, secrecy_checked=True)
    assert client.get(report.get_absolute_url()).status_code == 404


def test_scheduled_report_is_not_found_until_its_time(client, clock, organization, clerk, editor):
    report = factories.make_published_report(
        organization=organization, author=clerk, editor=editor, at=clock.now + timedelta(hours=2)
    )
    assert client.get(report.get_absolute_url()).status_code == 404

    clock.advance(hours=2)

    assert client.get(report.get_absolute_url()).status_code == 200


def test_withdrawn_report_is_gone_with_the_time_but_not_a_private_reason(client, clock, published_report):
    clock.advance(days=1)
    withdraw(published_report, reason="涉及内部信息")

    response = client.get(published_report.get_absolute_url())

    assert response.status_code == 410
    page = text_of(response)
    assert "该报告已撤回" in page
    assert f"已于{timezone.localtime(clock.now):%Y-%m-%d%H:%M}撤回" in page
    assert "涉及内部信息" not in page


def test_withdrawn_report_shows_a_reason_marked_public(client, published_report):
    withdraw(published_report, reason="数据更正后重新发布", public=True)
    response = client.get(published_report.get_absolute_url())
    assert response.status_code == 410
    assert "撤回原因：数据更正后重新发布" in text_of(response)


def test_schedule_withdrawn_before_going_live_is_not_found(client, clock, organization, clerk, editor):
    report = factories.make_published_report(
        organization=organization, author=clerk, editor=editor, at=clock.now + timedelta(days=1)
    )
    withdraw(report)
    assert client.get(report.get_absolute_url()).status_code == 404


def test_republished_report_shows_first_publish_time_update_time_and_public_notes(client, clock, published_report):
    first = timezone.localtime(published_report.first_published_at)
    clock.advance(days=30)
    republish_with_edit(published_report, preamble="<p>更正后的导语。</p>", note="更正了统计数字", note_is_public=True)

    response = client.get(published_report.get_absolute_url())

    meta = text_of(response, "article-meta")
    assert f"发布时间：{first:%Y-%m-%d%H:%M}" in meta
    assert f"更新时间：{timezone.localtime(clock.now):%Y-%m-%d%H:%M}" in meta
    assert "更正后的导语" in response.content.decode()
    assert "更正了统计数字" in text_of(response, "update-notes")


def test_first_edition_shows_no_update_time(client, published_report):
    response = client.get(published_report.get_absolute_url())
    assert "更新时间" not in text_of(response)
    assert "更新记录" not in text_of(response)


# --- View count -------------------------------------------------------------------------------------
def test_every_view_is_counted_and_shows_the_count_including_itself(client, published_report):
    for expected in (1, 2, 3):
        response = client.get(published_report.get_absolute_url())
        assert f"浏览次数：{expected}" in text_of(response, "article-meta")
    published_report.refresh_from_db()
    assert published_report.view_count == 3


def test_head_requests_are_not_counted(client, published_report):
    client.head(published_report.get_absolute_url())
    published_report.refresh_from_db()
    assert published_report.view_count == 0


def test_missing_and_withdrawn_pages_count_nothing(client, published_report):
    withdraw(published_report)
    client.get(published_report.get_absolute_url())
    published_report.refresh_from_db()
    assert published_report.view_count == 0


# --- Queries ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("items_per_section", [2, 40])
def test_article_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, items_per_section):
    report = factories.make_report(items_per_section=items_per_section)
    for index in range(items_per_section // 10 + 1):
        report.attachments.create(file=f"attachments/{index}.pdf", display_name=f"附件{index}", size=1000)
    publish(report)
    url = report.get_absolute_url()
    # The report with the public state (read by the middleware, then by the view: a first
    # view is not kept yet), the revision, the other years, the counter.
    with django_assert_max_num_queries(5):
        response = client.get(url)
    assert response.status_code == 200


def test_republished_article_with_update_notes_stays_within_six_queries(
    client, clock, published_report, django_assert_max_num_queries
):
    clock.advance(days=1)
    republish_with_edit(published_report, preamble="<p>新导语。</p>", note="更正", note_is_public=True)
    url = published_report.get_absolute_url()
    with django_assert_max_num_queries(6):
        client.get(url)


# --- Font size without JavaScript ---------------------------------------------------------------------------
def test_font_size_link_sets_a_cookie_and_returns_to_the_page(client, published_report):
    url = published_report.get_absolute_url()
    response = client.get(reverse("reports:font_size"), {"font": "large", "next": url})

    assert response.status_code == 302
    assert response["Location"] == url
    assert response.cookies["font_size"].value == "large"
    page = client.get(url).content.decode()
    assert '<html lang="zh-Hans" class="font-large">' in page
    assert 'value="large" data-font-size aria-label="大号字" aria-pressed="true"' in page


def test_font_size_link_does_not_redirect_off_site(client):
    response = client.get(reverse("reports:font_size"), {"font": "small", "next": "https://evil.example/"})
    assert response["Location"] == reverse("reports:home")


def test_unknown_font_size_is_a_bad_request(client):
    assert client.get(reverse("reports:font_size"), {"font": "huge"}).status_code == 400


def test_unknown_font_cookie_falls_back_to_medium(client, published_report):
    client.cookies["font_size"] = "<script>"
    page = client.get(published_report.get_absolute_url()).content.decode()
    assert 'class="font-medium"' in page


# --- QR code ------------------------------------------------------------------------------------------------
def test_qr_code_is_a_cacheable_svg_of_the_article_address(client, published_report):
    url = reverse(
        "reports:report_qr", kwargs={"year": published_report.year, "org": published_report.organization.slug}
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<?xml") and b"<svg" in response.content
    assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    assert 'src="' + url + '"' in client.get(published_report.get_absolute_url()).content.decode()


def test_qr_code_of_an_unpublished_report_is_not_found(client, report):
    url = reverse("reports:report_qr", kwargs={"year": report.year, "org": report.organization.slug})
    assert client.get(url).status_code == 404


# --- Bad addresses ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "/reports/20190/x/",
        "/reports/99999999999999999999999/x/",
        "/reports/2019/no-such-org/",
        "/reports/abcd/x/",
        "/attachments/99999999999999999999999/",
        "/preview/99999999999999999999999/",
    ],
)
def test_impossible_addresses_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_report_model_still_points_at_the_article(published_report):
    assert Report.objects.published().get().get_absolute_url() == published_report.get_absolute_url()


def test_section_kind_unknown_to_this_release_renders_as_other():
    """A snapshot written by a later release with a new kind must not break the page."""
    assert section_template({"kind": "future-kind"}) == "reports/sections/other.html"
    assert section_template({"kind": SectionKind.PLANS}) == "reports/sections/plans.html"


# --- Rendering a revision ------------------------------------------------------------------------------
def test_article_body_is_a_pure_function_of_the_snapshot(published_report, django_assert_num_queries):
    """So it can be cached by revision id: rendering it reads nothing from the database."""
    content = Revision.objects.get(report=published_report, number=published_report.revisions.count()).content
    with django_assert_num_queries(0):
        first = render_article_body(content)
    assert first == render_article_body(content)
    assert "（一）measures条目1" in first


@pytest.mark.parametrize("url_name", ["home", "report_list", "search", "article", "missing"])
def test_pages_have_one_h1_and_headings_in_order(client, published_report, url_name):
    urls = {
        "home": reverse("reports:home"),
        "report_list": reverse("reports:report_list"),
        "search": reverse("reports:search") + "?q=正文",
        "article": published_report.get_absolute_url(),
        "missing": "/no-such-page/",
    }
    root = html5lib.parse(client.get(urls[url_name]).content, treebuilder="etree", namespaceHTMLElements=False)
    levels = [int(element.tag[1]) for element in root.iter() if element.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(later - earlier <= 1 for earlier, later in pairwise(levels))


# Here, not among the list's tests: those all share reports with tags.
def test_tag_filter_is_not_offered_when_no_public_report_has_tags(client, clock):
    factories.make_published_report(year=2019)
    page = client.get(reverse("reports:report_list")).content.decode()
    assert 'name="year"' in page
    assert 'name="tag"' not in page
