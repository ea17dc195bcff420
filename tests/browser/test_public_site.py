"""The public site in a real browser: font controls, sharing, QR code, layout, accessibility."""

import pytest

from tests import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BODY_TEXT = ".article-body p"


def font_size_of(page, selector: str = BODY_TEXT) -> str:
    return page.locator(selector).first.evaluate("element => getComputedStyle(element).fontSize")


@pytest.fixture
def seed_report():
    return seed.load_seed_fixture()


@pytest.mark.screenshots
def test_screenshots_for_review(new_page, seed_report, screenshots):
    """Not an assertion of looks: saves var/screenshots/ for people to review the design (`make screenshots`)."""
    shots = [
        ("article-desktop", seed_report.get_absolute_url(), 1280, True),
        ("article-mobile", seed_report.get_absolute_url(), 375, False),
        ("home-desktop", "/", 1280, False),
        ("list-mobile", "/reports/", 375, False),
        ("search-desktop", "/search/?q=法律顾问", 1280, False),
        ("search-mobile", "/search/?q=flgw", 375, True),
        ("units-desktop", "/units/jiedong/", 1280, False),
    ]
    for name, url, width, full_page in shots:
        page = new_page(width=width, height=812)
        page.goto(url)
        page.screenshot(path=str(screenshots / f"{name}.png"), full_page=full_page)
    page.goto(seed_report.get_absolute_url())
    page.emulate_media(media="print")
    page.screenshot(path=str(screenshots / "article-print.png"), full_page=True)
    assert all((screenshots / f"{name}.png").stat().st_size for name, *_ in shots)


@pytest.fixture
def article_url(seed_report):
    return seed_report.get_absolute_url()


def test_font_buttons_change_the_body_text_size_and_persist(page, article_url):
    page.goto(article_url)
    assert font_size_of(page) == "16px"
    large = page.get_by_role("button", name="大号字")

    large.click()

    assert font_size_of(page) == "20px"
    assert large.get_attribute("aria-pressed") == "true"
    assert page.get_by_role("button", name="中号字").get_attribute("aria-pressed") == "false"
    page.reload()
    assert font_size_of(page) == "20px"
    assert page.get_by_role("button", name="大号字").get_attribute("aria-pressed") == "true"
    page.goto("/reports/")
    assert font_size_of(page, ".report-items__title") == "20px"


def test_font_size_choice_survives_a_new_visit_from_local_storage(page, article_url):
    page.goto(article_url)
    page.get_by_role("button", name="小号字").click()
    # A new visit whose cookie is gone still has the stored choice.
    page.context.clear_cookies()

    page.goto(article_url)

    assert font_size_of(page) == "14px"
    assert page.get_by_role("button", name="小号字").get_attribute("aria-pressed") == "true"


def test_font_buttons_work_from_the_keyboard(page, article_url):
    page.goto(article_url)
    page.get_by_role("button", name="大号字").focus()
    page.keyboard.press("Enter")
    assert font_size_of(page) == "20px"

    page.get_by_role("button", name="小号字").focus()
    page.keyboard.press("Space")
    assert font_size_of(page) == "14px"


def test_font_controls_work_without_javascript(new_page, article_url):
    page = new_page(javascript=False)
    page.goto(article_url)
    assert font_size_of(page) == "16px"

    page.get_by_role("button", name="大号字").click()

    page.wait_for_url(f"**{article_url}")
    assert font_size_of(page) == "20px"
    assert page.get_by_role("button", name="大号字").get_attribute("aria-pressed") == "true"
    page.reload()
    assert font_size_of(page) == "20px"


def test_without_javascript_the_script_only_buttons_stay_hidden(new_page, article_url):
    page = new_page(javascript=False)
    page.goto(article_url)
    assert page.get_by_role("button", name="复制链接").count() == 0
    assert page.get_by_role("button", name="打印本页").count() == 0
    assert page.get_by_text("微信", exact=True).is_visible()


def test_copy_link_and_print_buttons(page, article_url, live_server):
    page.add_init_script("window.printCalls = 0; window.print = () => { window.printCalls += 1; };")
    page.goto(article_url)
    copy = page.get_by_role("button", name="复制链接")
    printing = page.get_by_role("button", name="打印本页")
    assert copy.is_visible()
    assert printing.is_visible()
    assert copy.get_attribute("data-copy-link").endswith(article_url)

    copy.click()
    printing.click()

    assert page.get_by_role("status").filter(has_text="复制").is_visible()
    assert page.evaluate("window.printCalls") == 1


def test_wechat_qr_code_image_loads(page, article_url):
    page.goto(article_url)
    page.get_by_text("微信", exact=True).click()
    image = page.get_by_role("img", name="本页二维码", exact=False)
    image.wait_for(state="visible")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")


def test_pages_fit_narrow_screens_without_horizontal_scrolling(page, article_url):
    """320 and 375 px phones, and 200% zoom of a 1280 px window (640 CSS px)."""
    urls = ("/", "/reports/", article_url, "/search/?q=法律顾问", "/units/", "/regions/jiedong/", "/units/jiedong/")
    scrolling = {}
    for width in (320, 375, 640):
        page.set_viewport_size({"width": width, "height": 800})
        for url in urls:
            page.goto(url)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                scrolling[(width, url)] = overflow
    assert scrolling == {}


ACCESSIBILITY_PATHS = [
    "/",
    "/reports/",
    "article",
    "/search/?q=法律顾问",
    "/search/?q=法律顾问&year=2019&part=measures",  # filtered, with the links that clear the filters
    "/search/?q=flgw",  # pinyin, with the words it was read as
    "/search/?q=法律故问",  # nothing found, with a suggestion
    "/units/",
    "/regions/jiedong/",  # a region's units
    "/units/jiedong/",  # a unit's archive
]


def test_no_public_page_has_serious_accessibility_violations(new_page, article_url, axe_source):
    page = new_page(bypass_csp=True)
    page.context.add_init_script(axe_source)
    serious = {}
    for path in ACCESSIBILITY_PATHS:
        page.goto(article_url if path == "article" else path)
        results = page.evaluate("async () => await axe.run(document)")
        found = [
            f"{violation['id']} ({violation['impact']}): {violation['help']} — "
            + "; ".join(node["target"][0] for node in violation["nodes"][:3])
            for violation in results["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        if found:
            serious[path] = found
    assert serious == {}


def test_printed_article_looks_like_the_official_document(page, article_url):
    page.goto(article_url)
    page.emulate_media(media="print")

    for furniture in (".site-header", ".breadcrumbs", ".article-tools", ".site-footer", ".neighbours"):
        assert not page.locator(furniture).first.is_visible(), furniture
    assert page.locator(".article-title").is_visible()
    style = "element => { const s = getComputedStyle(element); return [s.color, s.textAlign]; }"
    assert page.locator(".article-body p").first.evaluate(style)[0] == "rgb(0, 0, 0)"
    assert page.locator(".signature").evaluate(style) == ["rgb(0, 0, 0)", "right"]
    assert page.locator("body").evaluate("element => getComputedStyle(element).backgroundColor") == "rgb(255, 255, 255)"
