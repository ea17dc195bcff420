"""关怀版, 繁體 and 朗读 in a real browser: with and without JavaScript, at 320 px and at 200 %
zoom, with axe finding nothing serious, and the read-aloud control under the real CSP."""

import pytest
from django.urls import reverse

from tests import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MODES = {"care": {"care_mode": "on"}, "traditional": {"script": "hant"}}
PAGES = ["home", "list", "article", "search", "correction"]
# In 关怀版 text must contrast at least 7:1 (WCAG AAA), which axe checks only when asked.
AXE_OPTIONS = {"care": "{rules: {'color-contrast-enhanced': {enabled: true}}}", "traditional": "{}"}
# Every control a finger or a mouse aims at, but links inside a sentence (WCAG's own exception).
SMALL_TARGETS = """() => [...document.querySelectorAll('a, button, input, select, textarea, summary')]
  .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
  .filter(e => e.type !== 'hidden' && !e.closest('.form-trap'))
  .filter(e => !(e.tagName === 'A' && getComputedStyle(e).display === 'inline' && e.closest('p')))
  .filter(e => e.getBoundingClientRect().height < 44 && e !== document.querySelector('.skip-link'))
  .map(e => e.outerHTML.slice(0, 80))"""
OVERFLOW = "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"


@pytest.fixture
def report():
    return seed.load_seed_fixture()


def url_of(name: str, report) -> str:
    return {
        "home": reverse("reports:home"),
        "list": reverse("reports:report_list"),
        "article": report.get_absolute_url(),
        "search": reverse("reports:search") + "?q=法律顾问",
        "correction": reverse("reports:correction", kwargs={"year": report.year, "org": report.organization.slug}),
    }[name]


def open_in(new_page, live_server, mode: str | None, **options):
    page = new_page(**options)
    if mode:
        page.context.add_cookies(
            [{"name": name, "value": value, "url": live_server.url} for name, value in MODES[mode].items()]
        )
    return page


def assert_in_mode(page, mode: str) -> None:
    if mode == "care":
        assert page.evaluate("document.documentElement.classList.contains('care')")
        size = page.locator("main p, main li").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 18
    else:
        assert page.evaluate("document.documentElement.lang") == "zh-Hant"
        assert "揭東區人民政府網站" in page.title()


def serious_violations(page, axe_source: str, options: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    results = page.evaluate(f"async () => await axe.run(document, {options})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("mode", list(MODES))
def test_each_page_in_each_mode(new_page, live_server, report, axe_source, mode):
    # Without JavaScript, on the narrowest phone: the server renders the mode; nothing scrolls sideways.
    plain = open_in(new_page, live_server, mode, width=320, height=640, javascript=False)
    # With JavaScript, a 1280 px window at 200 % zoom (640 CSS px): still one column, and axe is content.
    scripted = open_in(new_page, live_server, mode, width=640, height=800, bypass_csp=True)
    for name in PAGES:
        url = url_of(name, report)
        plain.goto(url)
        assert_in_mode(plain, mode)
        assert plain.evaluate(OVERFLOW) <= 0, name
        scripted.goto(url)
        assert_in_mode(scripted, mode)
        assert scripted.evaluate(OVERFLOW) <= 0, name
        if mode == "care":
            assert scripted.evaluate(SMALL_TARGETS) == [], name
        assert serious_violations(scripted, axe_source, AXE_OPTIONS[mode]) == [], name


@pytest.mark.parametrize("javascript", [True, False])
def test_the_care_switch_turns_the_mode_on_and_off(new_page, report, javascript):
    page = new_page(width=375, javascript=javascript)
    page.goto(report.get_absolute_url())

    page.get_by_role("link", name="关怀版", exact=True).click()

    page.wait_for_function("document.documentElement.classList.contains('care')")
    assert page.url.endswith(report.get_absolute_url())
    page.reload()  # remembered by the server
    assert page.evaluate("document.documentElement.classList.contains('care')")
    page.get_by_role("link", name="退出关怀版").click()
    page.wait_for_function("!document.documentElement.classList.contains('care')")
    page.reload()
    assert not page.evaluate("document.documentElement.classList.contains('care')")


def test_the_script_switch_renders_the_site_in_traditional_and_back(new_page, report):
    page = new_page(width=375, javascript=False)
    page.goto(reverse("reports:report_list"))

    page.get_by_role("link", name="繁體").click()

    page.wait_for_url(f"**{reverse('reports:report_list')}")
    assert page.evaluate("document.documentElement.lang") == "zh-Hant"
    assert page.get_by_role("heading", level=1).inner_text() == "法治政府建設情況報告"
    page.goto(report.get_absolute_url())  # remembered on every page
    assert "磐東街道" in page.title()
    page.get_by_role("link", name="简体").click()
    page.wait_for_function("document.documentElement.lang === 'zh-Hans'")
    assert "磐东街道" in page.title()


def test_a_correction_is_sent_without_javascript(new_page, live_server, report):
    page = open_in(new_page, live_server, "traditional", width=320, javascript=False)
    page.goto(report.get_absolute_url())
    page.get_by_role("link", name="我要糾錯").click()

    page.get_by_label("哪裡有錯").fill("第二段的數字有誤，應為五名律師。")
    page.get_by_role("button", name="提交").click()

    assert page.get_by_role("status").inner_text().startswith("謝謝您")


def test_the_printout_keeps_the_facts_that_trace_it(page, report):
    page.goto(report.get_absolute_url())
    page.emulate_media(media="print")

    for kept in (".article-meta", ".disclosure", ".print-trace"):
        assert page.locator(kept).is_visible(), kept
    assert not page.locator(".article-meta__views").is_visible()
    assert page.locator(".print-trace").inner_text().endswith(report.get_absolute_url())
    qr = page.locator(".print-trace__qr")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")


# --- 朗读 ---------------------------------------------------------------------------------------------
# The browser's speech synthesis, replaced by one with a Chinese voice that speaks when told
# (headless Chromium has no voices at all): each utterance starts at once and ends on
# window.finishUtterance().
FAKE_SPEECH = """(() => {
  const spoken = [];
  let queue = [], current = null;
  const synth = new EventTarget();
  synth.paused = false;
  synth.getVoices = () => [{name: '中文（测试）', lang: 'zh-CN', default: true, localService: true, voiceURI: 'test'}];
  function next() {
    current = queue.shift() || null;
    if (current) { spoken.push(current.text); setTimeout(() => current && current.onstart && current.onstart({}), 0); }
  }
  synth.speak = (utterance) => { queue.push(utterance); if (!current) next(); };
  synth.cancel = () => {
    const stopped = current; queue = []; current = null;
    if (stopped && stopped.onerror) stopped.onerror({error: 'interrupted'});
  };
  synth.pause = () => { synth.paused = true; };
  synth.resume = () => { synth.paused = false; };
  window.finishUtterance = () => { const done = current; current = null; done.onend({}); if (!current) next(); };
  window.spoken = spoken;
  Object.defineProperty(window, 'speechSynthesis', {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
})();"""


@pytest.fixture
def errors():
    return []


def watched(page, errors: list):
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def test_read_aloud_reads_the_article_sentence_by_sentence_under_the_csp(page, report, errors):
    watched(page, errors).add_init_script(FAKE_SPEECH)
    page.goto(report.get_absolute_url())
    start = page.get_by_role("button", name="朗读", exact=True)

    start.click()

    page.wait_for_function("CSS.highlights.has('read-aloud')")
    assert page.get_by_role("status").filter(has_text="正在朗读全文").is_visible()
    assert page.evaluate("window.spoken") == [report.title]
    page.evaluate("window.finishUtterance()")
    page.wait_for_function("window.spoken.length === 2")
    assert page.evaluate("window.spoken[1]").startswith("2019年,磐东街道根据中共中央")
    page.get_by_role("button", name="暂停").click()
    assert page.evaluate("speechSynthesis.paused")
    page.get_by_role("button", name="继续").click()
    assert not page.evaluate("speechSynthesis.paused")
    page.get_by_role("button", name="停止").click()
    assert start.is_visible()
    assert not page.evaluate("CSS.highlights.has('read-aloud')")
    assert errors == []


def test_read_aloud_reads_only_the_selected_text(page, report, errors):
    watched(page, errors).add_init_script(FAKE_SPEECH)
    page.goto(report.get_absolute_url())
    page.evaluate(
        """() => {
          const paragraph = document.querySelector('.article-body .preamble p');
          const range = document.createRange();
          range.setStart(paragraph.firstChild, 0);
          range.setEnd(paragraph.firstChild, 12);
          getSelection().removeAllRanges();
          getSelection().addRange(range);
        }"""
    )

    page.get_by_role("button", name="朗读", exact=True).click()

    page.wait_for_function("window.spoken.length === 1")
    assert page.evaluate("window.spoken") == ["2019年,磐东街道根据"]
    assert page.get_by_role("status").filter(has_text="正在朗读选中的文字").is_visible()
    assert errors == []


def test_without_a_chinese_voice_there_is_no_read_aloud_control(page, report, errors):
    watched(page, errors).goto(report.get_absolute_url())
    page.wait_for_load_state("load")
    assert page.get_by_role("button", name="朗读", exact=True).count() == 0
    assert errors == []
