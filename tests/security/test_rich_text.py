"""Stored and reflected XSS: every XSS payload of the corpus, through every field that reaches HTML.

Plain fields (titles, headings, sources, signatories, attachment names, tags) go through
``plain_text``; rich text (preambles, intros, bodies) through ``sanitize_html``; and pages
escape whatever they show, so even a value that bypassed the models renders inert.
"""

import itertools

import pytest
from django.urls import reverse

from reports import services
from reports.importing import writer
from reports.models import Attachment, Item, Report, Section, SectionKind
from reports.sanitize import remove_unsafe_characters
from reports.uploads import clean_display_name
from tests import factories
from tests.reports.test_admin import change_url, page_form_data
from tests.reports.test_sanitize_corpus import PAYLOADS
from tests.security.active_content import TAG_OPENER, active_content

PLAIN_LIMIT = 200  # the shortest plain field (titles, section headings)
# Stored as they are, bypassing the models; PostgreSQL text columns cannot hold NUL at all.
STORABLE_PAYLOADS = [payload.replace("\x00", "") for payload in PAYLOADS]


def batches(size: int):
    iterator = iter(PAYLOADS)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


@pytest.mark.parametrize("payload", PAYLOADS)
def test_model_cleaning_leaves_no_markup_in_plain_fields_and_nothing_active_in_rich_text(payload):
    report = Report(title=payload, source=payload, topic_category=payload, signatories=payload, preamble=payload)
    report.clean()
    section = Section(kind=SectionKind.MEASURES, heading=payload, intro=payload)
    section.clean()
    item = Item(heading=payload, body=payload)
    item.clean()
    attachment = Attachment(display_name=payload)
    attachment.clean()

    plain = [report.title, report.source, report.topic_category, report.signatories, section.heading, item.heading]
    plain += [attachment.display_name, clean_display_name(payload)]
    for value in plain:
        assert not TAG_OPENER.search(value), value
    for value in (report.preamble, section.intro, item.body):
        assert active_content(value) == [], value


@pytest.mark.django_db
def test_rich_text_saved_without_the_admin_is_still_sanitized(report):
    """Bodies are sanitized in save() too: the importer, the shell and data migrations write through it."""
    section = report.sections.first()
    for batch in batches(50):
        item = Item.objects.create(section=section, heading="", body="".join(batch))
        assert active_content(item.body) == []


@pytest.mark.django_db
def test_the_admin_change_page_stores_payloads_cleaned(client, organization, editor):
    """A sample of the corpus (the change page is slow); the model tests above take every payload."""
    report = factories.make_report(organization=organization, year=2021)
    client.force_login(editor)
    for batch in (PAYLOADS[::40], PAYLOADS[7::40]):
        data = page_form_data(client.get(change_url(report)))
        fields = sorted(name for name in data if name.endswith(("-heading", "-body", "-intro")))
        fields += ["title", "preamble", "signatories", "source", "tags"]
        for name, payload in zip(fields, itertools.cycle(batch), strict=False):
            data[name] = payload[:PLAIN_LIMIT] if name.endswith("heading") or name in ("title", "source") else payload
        response = client.post(change_url(report), data)
        assert response.status_code in (200, 302)
        report.refresh_from_db()

    stored = Report.objects.get(pk=report.pk)
    plain = [stored.title, stored.source, stored.signatories, *stored.tags.values_list("name", flat=True)]
    plain += list(Section.objects.filter(report=report).values_list("heading", flat=True))
    plain += list(Item.objects.filter(section__report=report).values_list("heading", flat=True))
    for value in plain:
        assert not TAG_OPENER.search(value), value
    rich = [stored.preamble, *Section.objects.filter(report=report).values_list("intro", flat=True)]
    rich += list(Item.objects.filter(section__report=report).values_list("body", flat=True))
    for value in rich:
        assert active_content(value) == [], value


@pytest.mark.django_db
def test_imported_text_keeps_no_markup(organization, editor):
    lines = ["测试街道2021年度法治政府建设情况报告", *PAYLOADS[:40], "一、主要举措和成效"]
    lines += [f"（{n}）{payload}" if n % 2 else payload for n, payload in enumerate(PAYLOADS[40:120], start=1)]
    lines += [
        "二、存在不足和原因",
        *PAYLOADS[120:160],
        "三、党政主要负责人履行推进法治建设第一责任人职责情况",
        "学法。",
    ]
    lines += ["四、下一年度工作安排", "继续努力。"]
    # Control characters make the importer refuse the text as binary, which is not what this checks.
    text = "\n".join(remove_unsafe_characters(line).replace("\n", " ").replace("\r", " ") for line in lines)
    report = writer.import_text(organization=organization, text=text, user=editor, source_name="粘贴").report
    for value in [report.title, *report.sections.values_list("heading", flat=True)]:
        assert not TAG_OPENER.search(value), value
    for value in Item.objects.filter(section__report=report).values_list("heading", flat=True):
        assert not TAG_OPENER.search(value), value
    for value in [report.preamble, *Item.objects.filter(section__report=report).values_list("body", flat=True)]:
        assert active_content(value) == [], value


@pytest.fixture
def hostile_report(organization, clerk, editor):
    """A published report whose every field holds raw payloads, as if something had bypassed the models."""
    report = factories.make_report(organization=organization, author=clerk)
    section = report.sections.first()
    for n, payload in enumerate(STORABLE_PAYLOADS):
        Item.objects.create(section=section, heading=payload[:300], body=payload, order=100 + n)
    Report.objects.filter(pk=report.pk).update(title=STORABLE_PAYLOADS[0][:200], source=STORABLE_PAYLOADS[1][:100])
    Section.objects.filter(pk=section.pk).update(heading=STORABLE_PAYLOADS[2][:200])
    Attachment.objects.create(report=report, file="attachments/x.pdf", display_name=STORABLE_PAYLOADS[3][:200])
    report.tags.add(*(payload[:100] for payload in STORABLE_PAYLOADS[4:14]))
    report.refresh_from_db()
    services.record_edit(report=report, user=clerk)
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor)
    report.refresh_from_db()
    return report


@pytest.mark.django_db
def test_public_article_page_renders_hostile_content_inert(client, hostile_report):
    response = client.get(hostile_report.get_absolute_url())
    assert response.status_code == 200
    assert active_content(response.content) == []


def staff_urls(report) -> list[str]:
    info = "admin:reports_report_"
    latest = report.revisions.count()
    return [
        reverse("reports:preview", kwargs={"pk": report.pk}),
        reverse(f"{info}history", args=[report.pk]),
        reverse(f"{info}history_revision", args=[report.pk, latest]),
        reverse(f"{info}history_compare", args=[report.pk]) + f"?old=1&new={latest}",
    ]


@pytest.mark.django_db
def test_staff_preview_history_and_compare_render_hostile_content_inert(client, hostile_report, editor):
    """Peer CMSs were hit by stored XSS from clerks rendered in exactly these staff views.

    The admin's own chrome (its inline SVG icons) is the baseline: the same page for a
    harmless report must show exactly what the hostile one shows.
    """
    harmless = factories.make_published_report(organization=hostile_report.organization, year=2020, editor=editor)
    client.force_login(editor)
    for hostile_url, harmless_url in zip(staff_urls(hostile_report), staff_urls(harmless), strict=True):
        response = client.get(hostile_url)
        assert response.status_code == 200, hostile_url
        assert active_content(response.content) == active_content(client.get(harmless_url).content), hostile_url


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.django_db
def test_search_terms_are_echoed_back_escaped(client, payload):
    response = client.get(reverse("reports:search"), {"q": payload})
    assert response.status_code in (200, 400)
    assert active_content(response.content) == []
