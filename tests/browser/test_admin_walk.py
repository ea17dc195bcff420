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

import lxml.html
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
# What a reader does not read as the interface's words: code and scripts, and identifiers typed
# in Latin letters by design (a unit's address name, a login name, a password hash).
HIDDEN_TAGS = ("code", "pre", "script", "style", "textarea", "svg", "template")
IDENTIFIER_FIELDS = ("field-slug", "field-username", "field-email", "field-password")
HIDDEN_FROM_READING = ", ".join((*HIDDEN_TAGS, *(f".{name}" for name in IDENTIFIER_FIELDS)))
VISIBLE_TEXT = (
    """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('"""
    + HIDDEN_FROM_READING
    + """').forEach(node => node.remove());
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
)
SITE = "http://testserver"  # the test client's


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


def serious_violations(page) -> list[str]:
    """What axe-core (added to every page of the context, ``in_chromium``'s caller) finds serious or critical."""
    results = page.evaluate(
        "tags => axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{violation['id']}: {violation['help']} — " + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def served_text(html: str) -> str:
    """What ``VISIBLE_TEXT`` reads, taken from the page as served (before any script runs)."""
    document = lxml.html.fromstring(html)
    texts = document.xpath("//title/text()")
    for name in ("aria-label", "title", "placeholder", "alt"):
        texts += document.xpath(f"//@{name}")
    texts += document.xpath("//input[@type='submit' or @type='button']/@value")
    hidden = [f"self::{tag}" for tag in HIDDEN_TAGS]
    hidden += [f"contains(concat(' ', @class, ' '), ' {name} ')" for name in IDENTIFIER_FIELDS]
    for node in document.xpath(f"//body//*[{' or '.join(hidden)} or @id='deleted-objects']"):
        if node.getparent() is not None:
            node.drop_tree()
    return "\n".join([*(body.text_content() for body in document.xpath("//body")), *texts])


def walk(client) -> tuple[dict, dict, dict]:
    """(broken links, English words, first address of each kind of staff page) of one role's walk.

    The links are followed with the test client, and each page's words are read as served.
    """
    broken, english, pages = {}, {}, {}
    queue = deque([f"/{settings.ADMIN_PATH}/"])
    found_on = {}
    seen, variants = {shape(address) for address in queue}, {}
    while queue:
        address = queue.popleft()
        response = client.get(address)
        if response.status_code >= 400:
            broken[address] = (response.status_code, found_on.get(address))
            continue
        path = urlsplit(address).path
        is_page = response.status_code == 200 and response.get("Content-Type", "").startswith("text/html")
        staff_page = path.startswith((f"/{settings.ADMIN_PATH}/", "/preview/"))
        if not (is_page and staff_page) or shape(path) in pages:
            continue
        pages[shape(path)] = address
        if any(part in address for part in NOT_OURS):
            continue
        html = response.content.decode()
        words = english_words(served_text(html))
        if words:
            english[address] = sorted(words)
        for href in lxml.html.fromstring(html).xpath("//a/@href"):
            if not href or href.startswith(("#", "javascript:", "mailto:")):
                continue
            target = urlsplit(urljoin(SITE + address, href))
            if target.netloc != urlsplit(SITE).netloc or target.path.startswith(settings.STATIC_URL):
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
    return broken, english, pages


def in_chromium(page, address: str) -> tuple[list[str], list[str]]:
    """(English words, serious accessibility violations) of a page once its scripts have run."""
    page.goto(address)
    return sorted(english_words(page.evaluate(VISIBLE_TEXT))), serious_violations(page)


def test_every_admin_page_each_role_reaches_is_chinese_accessible_and_linked_alive(
    new_page, live_server, client, office, axe_source
):
    problems, first_of_kind = {}, {}
    for role in ROLES:
        client.force_login(office[role])
        broken, english, pages = walk(client)
        problems |= {f"{role}: links answering an error": broken, f"{role}: English words": english}
        for kind, address in pages.items():
            first_of_kind.setdefault(kind, (role, address))

    # A kind of page has the same markup, and its scripts add the same words, whoever opens it:
    # Chromium opens each kind once, as the first role that reached it.
    for role in ROLES:
        client.force_login(office[role])
        page = new_page(bypass_csp=True)
        # Sent to Chromium once, run in each page before its own scripts: 0.1 s a page less than adding it after.
        page.context.add_init_script(axe_source)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
        for first_role, address in first_of_kind.values():
            if first_role != role or any(part in address for part in NOT_OURS):
                continue
            english, violations = in_chromium(page, live_server.url + address)
            problems.setdefault(f"{role}: English words once scripts ran", {})[address] = english
            problems.setdefault(f"{role}: serious accessibility violations", {})[address] = violations
        page.context.close()

    failing = {kind: {a: found for a, found in by_address.items() if found} for kind, by_address in problems.items()}
    assert not any(failing.values()), "\n" + pformat({kind: f for kind, f in failing.items() if f}, width=150)
