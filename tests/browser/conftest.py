"""Headless Chromium (Playwright) against the live test server, with axe-core for accessibility.

Outside CI a missing Chromium or axe-core skips these tests; in CI (CI=true) it fails
them, so the browser suite can never be skipped there without anyone noticing.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def _unavailable(message: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}: CI must run the browser tests")
    pytest.skip(message)


@pytest.fixture
def browser(monkeypatch):
    if not CHROMIUM.exists():
        _unavailable(f"Chromium is not installed at {CHROMIUM}")
    # Playwright's sync API keeps an event loop in this thread; the test's own database
    # calls are still synchronous, so Django's async-safety guard does not apply.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages on the live server: ``new_page(width=375, javascript=False)``.

    ``bypass_csp`` lets a test inject a script (axe-core) past the site's Content-Security-Policy.
    """
    contexts = []

    def open_page(*, width: int = 1280, height: int = 900, javascript: bool = True, bypass_csp: bool = False):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            locale="zh-CN",
            java_script_enabled=javascript,
            bypass_csp=bypass_csp,
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def axe_source() -> str:
    if not AXE.exists():
        _unavailable(f"axe-core is not installed at {AXE} (run `npm ci`)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
