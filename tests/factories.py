"""Factories for the test suite: small functions that build valid objects with overridable fields."""

import itertools
import re
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.checking.models import WordListEntry
from reports.checking.wordlists import forget_current_wordlist
from reports.models import Attachment, Item, Organization, Report, Section, SectionKind
from reports.roles import AUDITOR_GROUP, CLERK_GROUP, EDITOR_GROUP, INSPECTOR_GROUP, install_groups
from reports.uploads import AttachmentForm
from tests.security import sample_files

_serial = itertools.count(1)
CLOCK_START = datetime(2020, 5, 27, 8, 56, tzinfo=UTC)
PASSWORD = "Correct-horse-42"  # every account make_user creates has it


def make_user(*, username: str | None = None, groups=(), is_superuser=False, **fields):
    n = next(_serial)
    user = get_user_model().objects.create_user(
        username=username or f"user{n}",
        password=PASSWORD,
        email=fields.pop("email", f"user{n}@example.gov.cn"),
        is_staff=fields.pop("is_staff", True),
        is_superuser=is_superuser,
        **fields,
    )
    for name in groups:
        user.groups.add(role_group(name))
    return user


def role_group(name: str) -> Group:
    """A role's group; a transactional test's flush removes what the migrations made, so make it again."""
    if not Group.objects.filter(name=name).exists():
        install_groups(Group, Permission)
        auditors = Group.objects.get(name=AUDITOR_GROUP)
        auditors.permissions.add(Permission.objects.get(content_type__app_label="accounts", codename="view_authevent"))
    return Group.objects.get(name=name)


def make_organization(**overrides) -> Organization:
    n = next(_serial)
    fields = {
        "name": f"测试街道{n}",
        "short_name": f"测试{n}",
        "slug": f"org-{n}",
        "code": f"ORG{n:04d}",
        "sign_off_names": f"测试街道{n}党工委\n测试街道{n}办事处",
    }
    fields.update(overrides)
    return Organization.objects.create(**fields)


def make_clerk(organization: Organization, **fields):
    user = make_user(groups=[CLERK_GROUP], **fields)
    organization.clerks.add(user)
    return user


def make_editor(organization: Organization | None = None, *, all_organizations: bool = False, **fields):
    """An editor of ``organization``, or with ``all_organizations`` one who reviews every organization."""
    user = make_user(groups=[EDITOR_GROUP], **fields)
    if organization is not None:
        organization.editors.add(user)
    if all_organizations:
        user.user_permissions.add(Permission.objects.get(codename="review_all_organizations"))
    return user


def make_auditor(**fields):
    return make_user(groups=[AUDITOR_GROUP], **fields)


def make_inspector(organization: Organization, **fields):
    """A 督察员 of ``organization``: follows it and every unit below it (the group comes from migration 0006)."""
    user = make_user(**fields)
    user.groups.add(Group.objects.get(name=INSPECTOR_GROUP))
    organization.inspectors.add(user)
    return user


def add_sections(report: Report, *, items_per_section: int = 2) -> Report:
    """Give a report the four required sections, each with numbered items, and 其他需要报告的情况: 无."""
    for order, kind in enumerate(SectionKind.required()):
        section = Section.objects.create(report=report, kind=kind, order=order, intro=f"<p>{kind}引言</p>")
        for i in range(items_per_section):
            Item.objects.create(
                section=section, heading=f"{kind}条目{i + 1}", body=f"<p>{kind}正文{i + 1}。</p>", order=i
            )
    Section.objects.create(report=report, kind=SectionKind.OTHER, order=len(SectionKind.required()), intro="<p>无</p>")
    return report


def start_report(*, organization: Organization, year: int = 2019, user, **fields) -> Report:
    """A new draft with no content yet, created through the workflow service."""
    report = Report(organization=organization, year=year, **fields)
    services.create_report(report=report, user=user)
    return report


def make_report(
    *,
    organization: Organization | None = None,
    year: int = 2019,
    author=None,
    items_per_section=2,
    tags: tuple[str, ...] = (),
    **fields,
):
    """A draft report with content, created and then edited through the workflow services by a clerk."""
    organization = organization or make_organization()
    author = author or make_clerk(organization)
    fields.setdefault("preamble", "<p>现将本年度法治政府建设情况报告如下：</p>")
    # As a clerk works: the report is started empty (revision 1), then filled in (revision 2).
    report = start_report(organization=organization, year=year, user=author, **fields)
    add_sections(report, items_per_section=items_per_section)
    report.tags.add(*tags)
    services.record_edit(report=report, user=author)
    report.refresh_from_db()
    return report


def make_published_report(*, editor=None, at=None, **kwargs) -> Report:
    """A report taken through submit, approve (by another person) and publish."""
    report = make_report(**kwargs)
    author = report.created_by
    editor = editor or make_editor(report.organization)
    services.submit_for_review(report=report, user=author)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor, at=at)
    report.refresh_from_db()
    return report


def measure_and_plan_keys(report: Report) -> tuple[list[str], list[str]]:
    """Keys of the working copy's top-level measures and plans, in order."""

    def keys(kind):
        items = Item.objects.filter(section__report=report, section__kind=kind, parent=None)
        return [str(key) for key in items.order_by("order", "pk").values_list("key", flat=True)]

    return keys(SectionKind.MEASURES), keys(SectionKind.PLANS)


def make_consecutive_reports(*, organization: Organization, clerk, editor, year: int = 2020) -> tuple[Report, Report]:
    """The unit's published report of ``year - 1`` (with plans) and its draft of ``year``, by the same clerk."""
    previous = make_published_report(organization=organization, author=clerk, editor=editor, year=year - 1)
    current = make_report(organization=organization, author=clerk, year=year)
    return previous, current


# --- The admin, as a browser would use it ---------------------------------------------------


def sign_in(client, username, password=PASSWORD, ip="198.51.100.7"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=ip,
    )


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def new_report_data(organization, sections, *, year=2021, attachments=0) -> dict:
    """POST data of the add page: ``sections`` is [(kind, [(heading, body, [(heading, body), …]), …]), …]."""
    data = {
        "organization": str(organization.pk),
        "year": str(year),
        "title": "",
        "preamble": "<p>现将本年度情况报告如下：</p>",
        "source": "本网",
        "signatories": "",
        "signing_date": "2022-01-10",
        "disclosure_mode": "proactive",
        "topic_category": "政府工作/法治政府",
        "tags": "",
        **management("sections", len(sections)),
        **management("attachments", attachments),
    }
    for s, (kind, items) in enumerate(sections):
        prefix = f"sections-{s}"
        data |= {f"{prefix}-kind": kind, f"{prefix}-heading": "", f"{prefix}-intro": "", f"{prefix}-order": str(s + 1)}
        data |= management(f"{prefix}-items", len(items))
        for i, (heading, body, children) in enumerate(items):
            item = f"{prefix}-items-{i}"
            data |= {f"{item}-heading": heading, f"{item}-body": body, f"{item}-order": str(i + 1)}
            data |= management(f"{item}-children", len(children))
            for c, (child_heading, child_body) in enumerate(children):
                child = f"{item}-children-{c}"
                data |= {f"{child}-heading": child_heading, f"{child}-body": child_body, f"{child}-order": str(c + 1)}
    return data


def attach(report, name: str = "报告全文.pdf", content: bytes | None = None) -> Attachment:
    """An attachment accepted through the upload checks, as the admin's form accepts one (a PDF by default)."""
    form = AttachmentForm(
        data={"display_name": "", "order": 0},
        files={"file": SimpleUploadedFile(name, sample_files.pdf() if content is None else content)},
        instance=Attachment(report=report),
    )
    assert form.is_valid(), form.errors
    return form.save()


def publish_edited(report, clerk, editor):
    """Record the working copy's edit and take it through review and publication."""
    services.record_edit(report=report, user=clerk)
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor)


def download(client, attachment):
    return client.get(reverse("reports:attachment_download", kwargs={"pk": attachment.pk}))


def change_url(report) -> str:
    return reverse("admin:reports_report_change", args=[report.pk])


def page_form_data(response) -> dict:
    """What a browser would submit from the change page as it was rendered."""
    document = lxml.html.fromstring(response.content.decode())
    form = document.get_element_by_id("report_form")
    return {name: value for name, value in form.form_values() if "__prefix__" not in name and "-empty-" not in name}


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Public pages, as a crawler reads them ---------------------------------------------------


def locations(response) -> list[str]:
    """The <loc> addresses of a sitemap or a sitemap index."""
    root = ET.fromstring(response.content)  # noqa: S314 - the portal's own output, not untrusted XML
    return [element.text for element in root.iter() if element.tag.endswith("loc")]


def sitemap_locations(client) -> list[str]:
    """Every address of every sitemap that sitemap.xml (an index) lists."""
    index = client.get(reverse("reports:sitemap"))
    assert index.status_code == 200
    found = []
    for sitemap in locations(index):
        response = client.get(sitemap.removeprefix("http://testserver"))
        assert response.status_code == 200
        found += locations(response)
    return found


# --- Hostile input ---------------------------------------------------------------------------

XSS_CORPUS = Path(__file__).resolve().parent / "data" / "xss_payloads.txt"
_ESCAPE = re.compile(r"\\(\\|n|r|U[0-9A-Fa-f]{8})")
_ESCAPED = {"\\": "\\", "n": "\n", "r": "\r"}


def xss_payloads() -> list[str]:
    """The payloads of tests/data/xss_payloads.txt (one a line; backslash escapes for newlines and code points)."""

    def unescape(match: re.Match) -> str:
        code = match[1]
        return chr(int(code[1:], 16)) if code.startswith("U") else _ESCAPED[code]

    lines = XSS_CORPUS.read_text(encoding="utf-8").splitlines()
    return [_ESCAPE.sub(unescape, line) for line in lines if line.strip() and not line.startswith("#")]


def edit_report(report: Report, *, user, **fields) -> Report:
    """Change fields of the working copy and record the edit, as a save in the admin does."""
    report.refresh_from_db()
    for name, value in fields.items():
        setattr(report, name, value)
    report.save()
    services.record_edit(report=report, user=user)
    report.refresh_from_db()
    return report


def add_word(
    wrong: str,
    suggestion: str,
    *,
    severity: str = "warn",
    category: str = "typo",
    since_year: int | None = None,
    exceptions=(),
    note: str = "",
) -> WordListEntry:
    """A word-list entry written directly (tests of the lists' own editing use ``wordlists.save_entry``)."""
    entry = WordListEntry.objects.create(
        wrong=wrong,
        suggestion=suggestion,
        severity=severity,
        category=category,
        since_year=since_year,
        exceptions="\n".join(exceptions),
        note=note,
    )
    forget_current_wordlist()
    return entry


# --- Time ---------------------------------------------------------------------------------------


class Clock:
    """A "now" that only moves when a test moves it."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)
        return self.now


@contextmanager
def frozen_clock(start: datetime = CLOCK_START):
    """``django.utils.timezone.now`` (what the services stamp times with) frozen at ``start`` until moved."""
    frozen = Clock(start)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", frozen)
        yield frozen
