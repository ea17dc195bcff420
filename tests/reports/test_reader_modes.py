"""关怀版 and 繁體: set without JavaScript, remembered, rendered by the server and kept per choice."""

import pytest
from django.urls import reverse

from reports.public.chinese import to_traditional
from tests import factories

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["home", "list", "article", "search", "tag", "site_map", "subscribe", "accessibility", "correction"]


def url_of(name: str, report) -> str:
    if name == "article":
        return report.get_absolute_url()
    if name == "correction":
        return reverse("reports:correction", kwargs={"year": report.year, "org": report.organization.slug})
    if name == "search":
        return reverse("reports:search") + "?q=法治"
    if name == "tag":
        return reverse("reports:tag", kwargs={"name": "依法行政"})
    return reverse({"home": "reports:home", "list": "reports:report_list"}.get(name, f"reports:{name}"))


@pytest.fixture
def report(clock):
    return factories.make_published_report(year=2019, tags=["依法行政"])


@pytest.mark.parametrize(
    ("link", "parameter", "value", "cookie"),
    [
        ("reports:care_mode", "care", "on", "care_mode"),
        ("reports:care_mode", "care", "off", "care_mode"),
        ("reports:script", "script", "hant", "script"),
        ("reports:script", "script", "hans", "script"),
    ],
)
def test_a_link_sets_the_choice_and_returns_to_the_page(client, report, link, parameter, value, cookie):
    url = report.get_absolute_url()
    response = client.get(reverse(link), {parameter: value, "next": url})
    assert response.status_code == 302
    assert response["Location"] == url
    assert response.cookies[cookie].value == value
    assert response.cookies[cookie]["max-age"] == 365 * 24 * 60 * 60
    assert response.cookies[cookie]["samesite"] == "Lax"


@pytest.mark.parametrize(
    ("link", "query"),
    [("reports:care_mode", {"care": "maybe"}), ("reports:script", {"script": "latin"}), ("reports:script", {})],
)
def test_an_unknown_choice_is_a_bad_request(client, link, query):
    assert client.get(reverse(link), query).status_code == 400


@pytest.mark.parametrize("link", ["reports:care_mode", "reports:script"])
def test_a_choice_link_never_sends_the_reader_off_site(client, link):
    parameter, value = ("care", "on") if link == "reports:care_mode" else ("script", "hant")
    response = client.get(reverse(link), {parameter: value, "next": "https://evil.example/"})
    assert response["Location"] == reverse("reports:home")


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_care_mode_is_one_class_on_the_page(client, report, name):
    client.cookies["care_mode"] = "on"
    page = client.get(url_of(name, report)).content.decode()
    assert '<html lang="zh-Hans" class="font-medium care">' in page
    assert "退出关怀版" in page


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_traditional_pages_are_converted_on_the_server(client, report, name):
    client.cookies["script"] = "hant"
    page = client.get(url_of(name, report)).content.decode()
    assert '<html lang="zh-Hant" class="font-medium">' in page
    assert to_traditional("法治政府建设") in page
    assert "法治政府建设" not in page.split("</head>")[1]
    # The way back is written in the script it leads to.
    assert 'lang="zh-Hans" translate="no">简体</a>' in page


def test_simplified_is_the_default_and_says_so(client, report):
    page = client.get(report.get_absolute_url()).content.decode()
    assert '<html lang="zh-Hans" class="font-medium">' in page
    assert 'lang="zh-Hant" translate="no">繁體</a>' in page


def test_each_choice_gets_its_own_kept_article_with_its_own_count(client, report):
    url = report.get_absolute_url()
    plain = client.get(url).content.decode()
    client.cookies["script"] = "hant"
    first = client.get(url).content.decode()  # rendered, converted and kept
    replayed = client.get(url).content.decode()  # replayed by the middleware
    client.cookies["care_mode"] = "on"
    cared = client.get(url).content.decode()

    assert '<span class="view-count">1</span>' in plain
    assert '<span class="view-count">2</span>' in first
    assert replayed == first.replace('<span class="view-count">2</span>', '<span class="view-count">3</span>')
    assert to_traditional(report.title) in replayed
    assert 'class="font-medium care"' in cared
    assert '<span class="view-count">4</span>' in cared


def test_the_back_office_is_never_converted(client, report):
    client.force_login(factories.make_user(is_superuser=True))
    client.cookies["script"] = "hant"
    page = client.get(reverse("admin:reports_report_changelist")).content.decode()
    assert report.title in page


def test_a_traditional_query_finds_the_simplified_text(client, clock):
    report = factories.make_published_report(year=2019, preamble="<p>聘请律师组成法律顾问团，为群众服务。</p>")
    for typed in ("法律顧問", "爲群衆", "為群眾"):
        page = client.get(reverse("reports:search"), {"q": typed}).content.decode()
        assert "找到 1 篇" in page, typed
        assert report.title in page
