"""The strict Content-Security-Policy breaks nothing: a real browser reports no violation on public or admin pages."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import sync_playwright

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


@pytest.fixture
def browser_page():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_context().new_page()
        yield page
        browser.close()


@pytest.fixture
def pages_and_session(live_server, client):
    """Everything the database must hold, made before the browser starts (its event loop forbids ORM calls)."""
    report = factories.make_published_report()
    report.tags.add("法治政府")
    superuser = factories.make_user(is_superuser=True, username="csp-admin")
    client.force_login(superuser)
    urls = [
        reverse("reports:home"),
        report.get_absolute_url(),
        reverse("reports:report_list"),
        reverse("reports:search") + "?q=法治",
        reverse("reports:correction", kwargs={"year": report.year, "org": report.organization.slug}),
        reverse("reports:site_map"),
        reverse("reports:subscribe"),
        reverse("admin:reports_correction_changelist"),
        reverse("admin:index"),
        reverse("admin:reports_report_changelist"),
        reverse("admin:reports_report_add"),
        reverse("admin:reports_report_change", args=[report.pk]),
        reverse("admin:reports_organization_change", args=[report.organization.pk]),
        reverse("admin:auth_user_change", args=[superuser.pk]),
        reverse("admin:accounts_authevent_changelist"),
    ]
    return urls, client.cookies[settings.SESSION_COOKIE_NAME].value


def test_no_page_breaks_the_content_security_policy(live_server, pages_and_session, browser_page):
    urls, session_key = pages_and_session
    browser_page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": live_server.url}]
    )
    seen: list[str] = []
    browser_page.on(
        "console", lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None
    )
    for url in urls:
        response = browser_page.goto(live_server.url + url)
        assert response.status == 200, url
        browser_page.wait_for_load_state("load")
        assert seen == [], (url, seen)
