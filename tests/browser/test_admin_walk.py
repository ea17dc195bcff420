"""An hour in the back office as each role, compressed: every admin page a role can reach by following links.

From the 工作台, follow every same-site link (breadth first). Every kind of link found (the
same address with its numbers taken out) must answer without a 4xx or 5xx, downloads
included: a dead link is a template's or a permission's mistake, the same for every row.
The first page of each kind is opened in Chromium and must show no English word outside
the short allow-list below and have no serious or critical accessibility violation (axe).
Logging out is a POST form, not a link, so the walk never signs itself out.
"""

import re
from collections import deque
from datetime import timedelta
from pprint import pformat
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.utils import timezone

from reports import services
from reports.models import Item, Report, Section, SectionKind
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["clerk", "editor", "auditor", "superuser"]

# Words that are names, not English text: file formats and standards a clerk knows by
# these names, and the browser's own name in the audit log.
ALLOWED_WORDS = {
    "PDF",
    "Word",
    "Excel",
    "OFD",
    "JPEG",
    "PNG",
    "CSV",
    "JSON",
    "WPS",
    "Atom",
    "RSS",
    "IP",
    "HTML",
    "ICP",
    "ID",
}
# Key and product names inside Django's Chinese help texts ("按住 Control 键或 Mac 上的 Command 键").
ALLOWED_WORDS |= {"Control", "Command", "Mac", "LDAP", "GET", "POST", "HTTP", "Unix", "SHA"}
# The audit log's detail column (accounts/audit.py) records technical facts in English:
# field names and flags of permission changes. It is evidence written as it was, not a
# sentence of the interface.
AUDIT_LOG_WORDS = {
    "account",
    "created",
    "staff",
    "superuser",
    "active",
    "groups",
    "clerks",
    "editors",
    "username",
    "ip",
}
# WCAG 2.1 A and AA, what 《信息技术 互联网内容无障碍可访问性技术要求与测试方法》 (GB/T 37668) follows.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# django-otp's device screens (second factor, superusers only) are English throughout, field
# sets and search help included, in plain strings no catalogue reaches: their links are
# checked, their words and markup are left to the second-factor work that replaces them.
NOT_OURS = ("/otp_totp/", "/otp_static/")
# A page of each kind is rendered; links are checked up to this many query strings per address.
QUERY_VARIANTS_CHECKED = 1
MAX_LINKS = 400

TOKEN = re.compile(r"[A-Za-z0-9@._\-/:#%?=&+]+")
ENGLISH = re.compile(r"[A-Za-z]{2,}")
VISIBLE_TEXT = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('code, pre, script, style, textarea, svg, template').forEach(node => node.remove());
  // Identifiers typed in Latin letters by design (a unit's address name, a login name, a password hash).
  body.querySelectorAll('.field-slug, .field-username, .field-email, .field-password').forEach(node => node.remove());
  // What a deletion would remove, named by each object's own text (Django's "Group_permissions object").
  body.querySelectorAll('#deleted-objects').forEach(node => node.remove());
  const texts = [body.textContent, document.title];
  document.querySelectorAll('[aria-label], [title], [placeholder], [alt]').forEach(node => {
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      if (node.getAttribute(name)) texts.push(node.getAttribute(name));
    }
  });
  document.querySelectorAll('input[type=submit], input[type=button]').forEach(node => texts.push(node.value));
  return texts.join('\\n');
}"""
LINKS = "elements => elements.map(element => element.getAttribute('href'))"


def chinese_report(organization, author, year: int, **fields) -> Report:
    """A draft written as a clerk would write it: every word on the page is then the interface's or Chinese."""
    report = factories.start_report(
        organization=organization, year=year, user=author, preamble="<p>现将本年度情况报告如下：</p>", **fields
    )
    for order, kind in enumerate(SectionKind.required()):
        section = Section.objects.create(report=report, kind=kind, order=order, intro="<p>本部分概述。</p>")
        for number in range(1, 3):
            Item.objects.create(
                section=section, heading=f"第{number}项工作", body="<p>具体做法和成效。</p>", order=number
            )
    Section.objects.create(report=report, kind=SectionKind.OTHER, order=len(SectionKind.required()), intro="<p>无</p>")
    services.record_edit(report=report, user=author)
    report.refresh_from_db()
    return report


@pytest.fixture
def office(organization, other_organization):
    """A unit with its people and a report in each state, another unit's report, and notifications."""
    clerk = factories.make_clerk(organization, username="walk-clerk", first_name="张三")
    editor = factories.make_editor(organization, username="walk-editor", first_name="李四")
    second_editor = factories.make_editor(organization, username="walk-editor-2", first_name="王五")
    draft = chinese_report(organization, clerk, 2020, signing_date="2021-01-10")
    factories.attach(draft, "全文.pdf")
    submitted = chinese_report(organization, clerk, 2021)
    services.submit_for_review(report=submitted, user=clerk)
    returned = chinese_report(organization, clerk, 2022)
    services.submit_for_review(report=returned, user=clerk)
    services.return_for_revision(report=returned, user=editor, comment="请补充第二部分的原因分析。")
    published = chinese_report(organization, clerk, 2019)
    services.submit_for_review(report=published, user=clerk)
    services.approve(report=published, user=second_editor, secrecy_checked=True)
    services.publish(report=published, user=second_editor)
    published.tags.add("法治政府")
    services.record_edit(report=published, user=clerk, comment="更正错字")
    scheduled = chinese_report(organization, clerk, 2018)
    services.submit_for_review(report=scheduled, user=clerk)
    services.approve(report=scheduled, user=editor, secrecy_checked=True)
    services.publish(report=scheduled, user=editor, at=timezone.now() + timedelta(days=2))
    chinese_report(other_organization, factories.make_clerk(other_organization, username="walk-clerk-b"), 2019)
    return {
        "clerk": clerk,
        "editor": editor,
        "auditor": factories.make_auditor(username="walk-auditor", first_name="赵六"),
        "superuser": factories.make_user(username="walk-admin", first_name="管理员", is_superuser=True),
    }


def shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def english_words(text: str) -> set[str]:
    words = set()
    for token in TOKEN.findall(text):
        if ENGLISH.fullmatch(token) and token not in ALLOWED_WORDS and token.lower() not in AUDIT_LOG_WORDS:
            words.add(token)
    return words


def serious_violations(page, axe_source) -> list[str]:
    page.add_script_tag(content=axe_source)
    results = page.evaluate(
        "tags => axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{violation['id']}: {violation['help']} — " + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def walk(page, base: str, axe_source, checked_kinds: set) -> tuple[dict, dict, dict]:
    """(broken links, English words, accessibility violations), each by address.

    Accessibility is checked once per kind of page across roles (``checked_kinds``): the
    markup of a kind of page is the same for every role, its words are not.
    """
    broken, english, inaccessible = {}, {}, {}
    queue = deque([f"/{settings.ADMIN_PATH}/"])
    found_on = {}
    seen, rendered, variants = {shape(address) for address in queue}, set(), {}
    while queue:
        address = queue.popleft()
        response = page.context.request.get(base + address, max_redirects=0)
        if response.status >= 400:
            broken[address] = (response.status, found_on.get(address))
            continue
        is_page = response.status == 200 and response.headers.get("content-type", "").startswith("text/html")
        staff_page = urlsplit(address).path.startswith((f"/{settings.ADMIN_PATH}/", "/preview/"))
        if not (is_page and staff_page) or shape(urlsplit(address).path) in rendered:
            continue
        rendered.add(shape(urlsplit(address).path))
        if any(part in address for part in NOT_OURS):
            continue
        page.goto(base + address)
        words = english_words(page.evaluate(VISIBLE_TEXT))
        if words:
            english[address] = sorted(words)
        if shape(urlsplit(address).path) not in checked_kinds:
            checked_kinds.add(shape(urlsplit(address).path))
            violations = serious_violations(page, axe_source)
            if violations:
                inaccessible[address] = violations
        for href in page.eval_on_selector_all("a[href]", LINKS):
            if not href or href.startswith(("#", "javascript:", "mailto:")):
                continue
            target = urlsplit(urljoin(base + address, href))
            if target.netloc != urlsplit(base).netloc or target.path.startswith(settings.STATIC_URL):
                continue
            found = target.path + (f"?{target.query}" if target.query else "")
            kind = shape(found)
            if kind in seen or len(seen) >= MAX_LINKS:
                continue
            if target.query:
                variants[target.path] = variants.get(target.path, 0) + 1
                if variants[target.path] > QUERY_VARIANTS_CHECKED:
                    continue
            seen.add(kind)
            found_on[found] = address
            queue.append(found)
    return broken, english, inaccessible


def test_every_admin_page_each_role_reaches_is_chinese_accessible_and_linked_alive(
    new_page, live_server, client, office, axe_source
):
    checked_kinds: set[str] = set()
    problems = {}
    for role in ROLES:
        client.force_login(office[role])
        page = new_page(bypass_csp=True)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
        broken, english, inaccessible = walk(page, live_server.url, axe_source, checked_kinds)
        problems |= {
            f"{role}: links answering an error": broken,
            f"{role}: English words": english,
            f"{role}: serious accessibility violations": inaccessible,
        }
        page.context.close()

    failing = {kind: found for kind, found in problems.items() if found}
    assert not failing, "\n" + pformat(failing, width=150)
