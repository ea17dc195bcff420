"""Links: checked in the background against a local server, read from stored results, never fetched on a request."""

import io
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.urls import reverse

from reports.checking import links
from reports.checking.models import LinkCheck
from reports.checking.review import review
from tests import factories

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


class Handler(BaseHTTPRequestHandler):
    requests: list[tuple[str, str]] = []

    def _answer(self, with_body: bool):
        Handler.requests.append((self.command, self.path))
        if self.path == "/refuses-head" and self.command == "HEAD":
            status = 405
        else:
            status = {"/ok": 200, "/refuses-head": 200, "/moved": 301}.get(self.path, 404)
        self.send_response(status)
        if status == 301:
            self.send_header("Location", "/ok")
        self.send_header("Content-Length", "2")
        self.end_headers()
        if with_body:
            self.wfile.write(b"ok")

    def do_HEAD(self):
        self._answer(with_body=False)

    def do_GET(self):
        self._answer(with_body=True)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    """A local web server on a free port (never the internet)."""
    Handler.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize(
    ("path", "ok", "status"),
    [("/ok", True, 200), ("/missing", False, 404), ("/refuses-head", True, 200), ("/moved", True, 200)],
)
def test_check_url_says_whether_a_link_opens(site, path, ok, status):
    result = links.check_url(site + path, timeout=5, allow_private=True)
    assert (result.ok, result.status) == (ok, status)


def test_private_addresses_are_not_fetched_and_count_as_not_opening(site):
    result = links.check_url(site + "/ok", timeout=5)
    assert (result.ok, result.error) == (False, "指向内网地址，公众无法打开。")
    assert Handler.requests == []


def with_links(report, clerk, *hrefs):
    body = "".join(f'<p>详见<a href="{href}">链接{n}</a>。</p>' for n, href in enumerate(hrefs, start=1))
    return factories.edit_report(report, user=clerk, preamble=body)


def test_check_links_stores_results_and_skips_fresh_ones(site, report, clerk):
    with_links(report, clerk, site + "/ok", site + "/missing")
    out = io.StringIO()
    call_command("check_links", "--allow-private-addresses", "--timeout", "5", stdout=out)
    stored = {check.url: (check.ok, check.status) for check in LinkCheck.objects.all()}
    assert stored == {site + "/ok": (True, 200), site + "/missing": (False, 404)}
    assert "本次检查 2 个，其中 1 个无法打开" in out.getvalue()
    fetched = len(Handler.requests)
    call_command("check_links", "--allow-private-addresses", stdout=io.StringIO())
    assert len(Handler.requests) == fetched


def test_broken_links_are_warnings_of_the_report_and_unchecked_ones_are_silent(site, report, clerk):
    with_links(report, clerk, site + "/ok", site + "/missing", site + "/not-checked-yet", "/no-such-page/")
    links.check_and_store([site + "/ok", site + "/missing"], timeout=5, allow_private=True)
    findings = review(report).findings
    assert [(finding.text, finding.severity, finding.kind) for finding in findings] == [
        ("链接2", "warn", "broken_link"),
        ("链接4", "warn", "broken_link"),
    ]
    assert "HTTP 状态码 404" in findings[0].message


def test_the_report_page_never_fetches_a_link(monkeypatch, client, report, clerk):
    with_links(report, clerk, "https://example.gov.cn/a")

    def refuse(*args, **kwargs):
        raise AssertionError("a link was fetched on a request")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)
    client.force_login(clerk)
    assert client.get(reverse("admin:reports_report_change", args=[report.pk])).status_code == 200
