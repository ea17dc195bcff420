"""Links in report text that do not open: checked in the background, read from stored results.

``python manage.py check_links`` (run by cron) fetches every http(s) address linked from
the reports' latest and public revisions, with a timeout, and stores the answer in
``LinkCheck``. Checks on a request only read those rows: nothing here fetches anything
while someone waits. Addresses inside the portal are checked against its URL patterns.

Addresses that resolve to private, loopback or link-local networks are not fetched (the
server must not become a probe of its own network) and count as not opening: residents
cannot open them either. ``allow_private`` lifts that for intranet deployments and tests.
"""

import ipaddress
import logging
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.db.models import OuterRef, Subquery
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.checking.findings import Finding, FindingKind, Part, PartKind
from reports.checking.models import LinkCheck, Severity
from reports.models import Report, Revision

logger = logging.getLogger(__name__)

USER_AGENT = "rule-of-law-portal link check"
DEFAULT_TIMEOUT = 10
# Some servers refuse HEAD but answer GET.
_RETRY_WITH_GET = {403, 405, 501}
MAX_URL_LENGTH = 2000  # LinkCheck.url; longer addresses are not checked


@dataclass(frozen=True)
class Link:
    href: str
    text: str


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []
        self._open: list[list] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open.append([dict(attrs).get("href") or "", ""])

    def handle_data(self, data):
        for anchor in self._open:
            anchor[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            href, text = self._open.pop()
            if href:
                self.links.append(Link(href.strip(), " ".join(text.split())))


def links_in(html: str) -> list[Link]:
    """The links of a rich text, in order."""
    if "<a" not in (html or "") and "<A" not in (html or ""):
        return []
    parser = _Anchors()
    parser.feed(html)
    parser.close()
    return parser.links


def content_links(content: dict) -> list[str]:
    """Every address a snapshot's rich text links to."""
    htmls = [content["preamble"]]
    for section in content["sections"]:
        htmls.append(section["intro"])
        for item in section["items"]:
            htmls.append(item["body"])
            htmls.extend(child["body"] for child in item["children"])
    return sorted({link.href for html in htmls for link in links_in(html)})


def is_external(href: str) -> bool:
    return urlsplit(href).scheme.lower() in ("http", "https")


def stored_results(urls: Iterable[str]) -> dict[str, LinkCheck]:
    external = [url for url in urls if is_external(url)]
    if not external:
        return {}
    return {check.url: check for check in LinkCheck.objects.filter(url__in=external)}


def findings(part: Part, results: dict[str, LinkCheck]) -> list[Finding]:
    """Links of a rich-text part that the last background check could not open (unchecked ones are silent)."""
    if part.kind != PartKind.RICH:
        return []
    found = []
    cursor = 0
    for link in links_in(part.html):
        at = part.text.find(link.text, cursor) if link.text else -1
        start, end = (at, at + len(link.text)) if at >= 0 else (0, 0)
        cursor = end if at >= 0 else cursor
        problem = _internal_problem(link.href) if not is_external(link.href) else _stored_problem(results, link.href)
        if problem is None:
            continue
        found.append(
            Finding(
                start=start,
                end=end,
                text=link.text or link.href,
                kind=FindingKind.BROKEN_LINK,
                severity=Severity.WARN,
                suggestion=_("核对或删除链接 %(url)s") % {"url": link.href},
                rule="links.broken",
                message=problem,
            )
        )
    return found


def _stored_problem(results: dict[str, LinkCheck], href: str) -> str | None:
    check = results.get(href)
    if check is None or check.ok:
        return None
    checked = timezone.localtime(check.checked_at).strftime("%Y-%m-%d %H:%M")
    what = check.error or (_("HTTP 状态码 %(status)s") % {"status": check.status})
    return _("%(time)s 检查时无法打开：%(problem)s") % {"time": checked, "problem": what}


def _internal_problem(href: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None  # mailto:, anchors and relative paths are not checked
    try:
        resolve(parts.path)
    except Resolver404:
        return _("本站没有这个地址。")
    return None


# --- The background check ---------------------------------------------------------------


@dataclass(frozen=True)
class LinkResult:
    ok: bool
    status: int | None = None
    error: str = ""


class _RefusePrivateRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        problem = _address_problem(newurl)
        if problem:
            raise urllib.error.URLError(problem)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _address_problem(url: str) -> str | None:
    """Why ``url`` must not be fetched from the server, or None."""
    host = urlsplit(url).hostname
    if not host:
        return _("网址不完整。")
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return _("域名无法解析。")
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            return _("指向内网地址，公众无法打开。")
    return None


def check_url(url: str, *, timeout: float = DEFAULT_TIMEOUT, allow_private: bool = False) -> LinkResult:
    """Fetch ``url`` (HEAD, then GET if refused) and say whether it opens."""
    if not is_external(url):
        return LinkResult(False, error=_("只检查 http 和 https 链接。"))
    if not allow_private:
        problem = _address_problem(url)
        if problem:
            return LinkResult(False, error=problem)
    handlers = [] if allow_private else [_RefusePrivateRedirects()]
    opener = urllib.request.build_opener(*handlers)
    status = None
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})  # noqa: S310
        try:
            with opener.open(request, timeout=timeout) as response:
                return LinkResult(True, status=response.status)
        except urllib.error.HTTPError as error:
            status = error.code
            if method == "HEAD" and error.code in _RETRY_WITH_GET:
                continue
            return LinkResult(False, status=error.code)
        except TimeoutError:
            return LinkResult(False, error=_("等待 %(seconds)s 秒无响应。") % {"seconds": timeout})
        except ssl.SSLError:
            return LinkResult(False, error=_("证书无效。"))
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return LinkResult(False, error=str(reason)[:300])
    return LinkResult(False, status=status)


def linked_urls() -> set[str]:
    """Every external address linked from a report's latest revision or its public one."""
    latest = Revision.objects.filter(report=OuterRef("pk")).order_by("-number").values("pk")[:1]
    ids = set(Report.objects.annotate(latest_revision=Subquery(latest)).values_list("latest_revision", flat=True))
    ids |= set(Report.objects.published().values_list("public_revision_id", flat=True))
    urls: set[str] = set()
    for content in Revision.objects.filter(pk__in=ids - {None}).values_list("content", flat=True).iterator():
        urls.update(url for url in content_links(content) if is_external(url))
    return urls


def check_and_store(
    urls: Iterable[str], *, timeout: float = DEFAULT_TIMEOUT, workers: int = 4, allow_private: bool = False
) -> dict[str, LinkResult]:
    """Check ``urls`` a few at a time and store each answer; returns them by address."""
    urls = sorted({url for url in urls if len(url) <= MAX_URL_LENGTH})

    def check(url):
        return url, check_url(url, timeout=timeout, allow_private=allow_private)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = dict(pool.map(check, urls))
    now = timezone.now()
    for url, result in results.items():
        LinkCheck.objects.update_or_create(
            url=url,
            defaults={"ok": result.ok, "status": result.status, "error": result.error, "checked_at": now},
        )
    return results
