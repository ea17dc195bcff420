"""Response headers, and public pages that a strict Content-Security-Policy does not break."""

import html5lib
import pytest
from django.urls import reverse

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(header: str) -> dict[str, str]:
    pairs = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return dict(pairs)


def public_urls(report) -> list[str]:
    return [
        reverse("reports:home"),
        reverse("reports:report_list"),
        report.get_absolute_url(),
        reverse("reports:search") + "?q=法治",
        reverse("reports:tag", kwargs={"name": "法治政府"}),
        "/no-such-page/",
    ]


@pytest.fixture
def tagged_report(published_report):
    published_report.tags.add("法治政府")
    return published_report


@pytest.mark.django_db
def test_every_public_page_and_the_admin_send_the_security_headers(client, tagged_report):
    for url in [*public_urls(tagged_report), reverse("admin:login")]:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert directives(response["Content-Security-Policy"]) == CSP, url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        assert response["X-Frame-Options"] == "DENY", url


@pytest.mark.django_db
def test_public_pages_have_no_inline_script_or_style(client, tagged_report):
    """What the CSP would block must not be there: no inline code, style or event handler."""
    for url in public_urls(tagged_report):
        page = html5lib.parse(client.get(url).content, treebuilder="etree", namespaceHTMLElements=False)
        for element in page.iter():
            if not isinstance(element.tag, str):
                continue
            if element.tag == "script":
                assert element.get("src") or element.get("type") in ("application/json", "application/ld+json"), url
            assert element.tag != "style", url
            assert "style" not in element.attrib, (url, element.tag)
            assert not [name for name in element.attrib if name.lower().startswith("on")], (url, element.tag)
            for name in ("href", "src", "action"):
                assert not element.get(name, "").strip().lower().startswith("javascript:"), url


@pytest.mark.django_db
def test_staff_sessions_use_an_idle_timeout_cookie(client, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == ""  # ends with the browser, and on the server after 30 idle minutes


@pytest.mark.django_db
def test_an_article_served_from_the_page_cache_keeps_the_security_headers(client, published_report):
    """Cached article pages skip most middleware (reports/middleware.py); their headers must not."""
    first = client.get(published_report.get_absolute_url())
    again = client.get(published_report.get_absolute_url())
    assert again.status_code == 200
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"):
        assert again[header] == first[header], header
    assert directives(again["Content-Security-Policy"]) == CSP
