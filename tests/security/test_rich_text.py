"""Stored and reflected XSS: every field that reaches HTML is wired to its cleaner, and pages escape the rest.

The whole corpus goes through the sanitizer once (tests/reports/test_sanitize_corpus.py).
Here a sample of payloads of different kinds checks that each field cleans what it stores
by every path that writes it (save, bulk_create, the admin, the importer), and that the
public and staff pages render even raw, unclean rows inert.
"""

import pytest
from django.urls import reverse

from reports import services
from reports.importing import writer
from reports.models import Attachment, Item, Report, Section, SectionKind
from reports.sanitize import remove_unsafe_characters
from reports.uploads import clean_display_name
from tests import factories
from tests.security.active_content import TAG_OPENER, active_content

PAYLOADS = factories.xss_payloads()
# One of each kind: a script, an event handler, a javascript: link, entity-obfuscated
# schemes, mutation XSS through raw-text elements, a comment trick, bidi overrides.
SAMPLE = [
    "<script>history.pushState(0,0,'/i/am/somewhere_else');</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(String.fromCharCode(88,83,83))">Click Me!</a>',
    '<a href="&#x6a;avascript&colon;alert(1)">x</a>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<!--><script>alert(1)</script>-->",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<p>\u202eexe.txt</p>",
]
PLAIN_LIMIT = 200  # the shortest plain field (titles, section headings)
# Stored as they are, bypassing the models; PostgreSQL text columns cannot hold NUL at all.
STORABLE_PAYLOADS = [payload.replace("\x00", "") for payload in PAYLOADS]


def test_the_sample_is_part_of_the_corpus():
    assert set(SAMPLE) <= set(PAYLOADS)


@pytest.mark.django_db
def test_every_field_cleans_what_it_saves(report):
    """Plain fields keep no markup, rich text nothing active, whichever field and whichever payload."""
    section = report.sections.first()
    for payload in SAMPLE:
        report.title = report.source = report.topic_category = report.signatories = report.preamble = payload
        report.save()
        saved_section = Section.objects.create(report=report, kind=SectionKind.OTHER, heading=payload, intro=payload)
        item = Item.objects.create(section=section, heading=payload, body=payload)
        attachment = Attachment.objects.create(report=report, file="attachments/x.pdf", display_name=payload)
        for model, pk in [
            (Report, report.pk),
            (Section, saved_section.pk),
            (Item, item.pk),
            (Attachment, attachment.pk),
        ]:
            stored = model.objects.get(pk=pk)
            for name in ("title", "source", "topic_category", "signatories", "heading", "display_name"):
                assert not TAG_OPENER.search(getattr(stored, name, "")), (name, payload)
            for name in ("preamble", "intro", "body"):
                assert active_content(getattr(stored, name, "")) == [], (name, payload)
    assert all(not TAG_OPENER.search(clean_display_name(payload)) for payload in SAMPLE)


@pytest.mark.django_db
def test_bulk_created_rows_are_cleaned_too(report):
    """The importer and the benchmark's generator insert items in bulk, past Model.save()."""
    section = report.sections.first()
    Item.objects.bulk_create([Item(section=section, heading=payload, body=payload) for payload in SAMPLE])
    for heading, body in Item.objects.filter(section=section).values_list("heading", "body"):
        assert not TAG_OPENER.search(heading)
        assert active_content(body) == []


@pytest.mark.django_db
def test_the_admin_change_page_stores_payloads_cleaned(client, organization, editor):
    report = factories.make_report(organization=organization, year=2021)
    client.force_login(editor)
    data = factories.page_form_data(client.get(factories.change_url(report)))
    fields = sorted(name for name in data if name.endswith(("-heading", "-body", "-intro")))
    fields += ["title", "preamble", "signatories", "source", "tags"]
    for n, name in enumerate(fields):
        payload = SAMPLE[n % len(SAMPLE)]
        data[name] = payload[:PLAIN_LIMIT] if name.endswith("heading") or name in ("title", "source") else payload
    response = client.post(factories.change_url(report), data)
    assert response.status_code == 302, factories.messages_of(response)

    stored = Report.objects.get(pk=report.pk)
    assert stored.version == report.version + 1, "the change was saved"
    plain = [stored.title, stored.source, stored.signatories, *stored.tags.values_list("name", flat=True)]
    plain += list(Section.objects.filter(report=report).values_list("heading", flat=True))
    plain += list(Item.objects.filter(section__report=report).values_list("heading", flat=True))
    for value in plain:
        assert not TAG_OPENER.search(value), value
    rich = [stored.preamble, *Section.objects.filter(report=report).values_list("intro", flat=True)]
    rich += list(Item.objects.filter(section__report=report).values_list("body", flat=True))
    for value in rich:
        assert active_content(value) == [], value
    assert "Click Me!" in "".join(plain + rich), "the payloads' text was stored, only defused"


@pytest.mark.django_db
def test_imported_text_keeps_no_markup(organization, editor):
    lines = ["测试街道2021年度法治政府建设情况报告", *SAMPLE, "一、主要举措和成效"]
    lines += [f"（{n}）{payload}" for n, payload in enumerate(SAMPLE, start=1)]
    lines += ["二、存在不足和原因", *SAMPLE, "三、党政主要负责人履行推进法治建设第一责任人职责情况", "学法。"]
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
    """A published report whose every field holds the raw corpus, as if something had bypassed the models."""
    report = factories.make_report(organization=organization, author=clerk)
    section = report.sections.first()
    Item.objects.bulk_create(
        [Item(section=section, heading="x", body="x", order=100 + n) for n in range(len(STORABLE_PAYLOADS))]
    )
    for item, payload in zip(section.items.filter(order__gte=100).order_by("order"), STORABLE_PAYLOADS, strict=True):
        Item.objects.filter(pk=item.pk).update(heading=payload[:300], body=payload)
    Report.objects.filter(pk=report.pk).update(title=STORABLE_PAYLOADS[0][:200], source=STORABLE_PAYLOADS[1][:100])
    Section.objects.filter(pk=section.pk).update(heading=STORABLE_PAYLOADS[2][:200])
    attachment = Attachment.objects.create(report=report, file="attachments/x.pdf", display_name="x")
    Attachment.objects.filter(pk=attachment.pk).update(display_name=STORABLE_PAYLOADS[3][:200])
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


@pytest.mark.django_db
def test_search_terms_are_echoed_back_escaped(client):
    """The search page echoes the phrase into the form, the heading and the highlights."""
    for payload in SAMPLE:
        response = client.get(reverse("reports:search"), {"q": payload[:50]})
        assert response.status_code == 200
        assert active_content(response.content) == [], payload
