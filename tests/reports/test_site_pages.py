"""What every page of a government site must carry: metadata, footer marks, a site map for
people, a page that explains the feeds, a favicon, and a printout that can be traced."""

import html5lib
import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

SITE_METADATA = ("SiteName", "SiteDomain", "SiteIDCode", "Keywords", "Description")
ARTICLE_METADATA = ("ColumnName", "ColumnType", "ArticleTitle", "PubDate", "ContentSource")
OPEN_GRAPH = ("og:type", "og:title", "og:description", "og:url", "og:image", "og:site_name")


def metadata(response) -> dict[str, str]:
    root = html5lib.parse(response.content, treebuilder="etree", namespaceHTMLElements=False)
    found = {}
    for meta in root.iter("meta"):
        key = meta.get("name") or meta.get("property")
        if key:
            assert key not in found, f"{key} twice"
            found[key] = meta.get("content")
    return found


@pytest.fixture
def report(clock, pandong):
    return factories.make_published_report(
        organization=pandong, year=2019, preamble="<p>2019年，磐东街道扎实推进法治政府建设。</p>", tags=["依法行政"]
    )


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/reports/",
        "/reports/?year=2019",
        "/search/?q=法治",
        "/tags/依法行政/",
        "/sitemap/",
        "/subscribe/",
        "/accessibility/",
    ],
)
def test_every_page_carries_the_site_metadata_a_description_and_sharing_tags(client, report, url):
    found = metadata(client.get(url))
    for key in (*SITE_METADATA, *OPEN_GRAPH):
        assert found.get(key), key
    assert found["SiteIDCode"] == "4452030001"
    assert found["SiteDomain"] == "testserver"


def test_the_article_carries_the_government_article_metadata(client, report):
    found = metadata(client.get(report.get_absolute_url()))
    assert found["ColumnName"] == "法治政府建设"
    assert found["ArticleTitle"] == report.title
    assert found["PubDate"] == "2020-05-27 16:56"  # Shanghai time of the clock fixture's 08:56 UTC
    assert found["ContentSource"] == "本网"
    assert found["Description"] == "2019年，磐东街道扎实推进法治政府建设。"
    assert found["Keywords"] == "依法行政"
    assert found["og:type"] == "article"
    assert found["og:url"] == found["Url"] == "http://testserver" + report.get_absolute_url()
    assert found["og:image"].startswith("http://testserver/static/")
    for key in ARTICLE_METADATA:
        assert found[key], key


def test_the_footer_carries_the_marks_and_links_every_government_page_must(client, report):
    page = client.get("/").content.decode()
    assert 'alt="党政机关网站标识（点击核实网站身份）"' in page
    assert "https://bszs.conac.cn/" in page
    assert "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteById.action?siteCode=4452030001" in page
    assert "https://beian.mps.gov.cn/#/query/webSearch?code=44520302000000" in page
    assert f'<a href="{reverse("reports:site_map")}">网站地图</a>' in page
    assert f'<a href="{reverse("reports:subscribe")}">订阅</a>' in page
    assert "网站标识码：4452030001" in page


def test_the_nav_subscription_link_opens_the_page_that_explains_the_feeds(client, report):
    home = client.get("/").content.decode()
    assert f'<li><a href="{reverse("reports:subscribe")}">订阅</a></li>' in home
    page = client.get(reverse("reports:subscribe")).content.decode()
    assert "http://testserver/feeds/atom.xml" in page
    assert "http://testserver/feeds/rss.xml" in page
    assert "阅读器" in page


def test_the_html_site_map_lists_every_published_report_by_unit_and_year(client, report, pandong):
    factories.make_report(organization=pandong, year=2020)  # a draft: not on the map
    response = client.get(reverse("reports:site_map"))
    page = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert f'<a href="{report.get_absolute_url()}">2019年度</a>' in page
    assert "2020年度" not in page
    assert "磐东街道" in page
    # The XML one stays for crawlers.
    assert client.get(reverse("reports:sitemap")).content.startswith(b"<?xml")
    assert b"/sitemap/" in client.get(reverse("reports:sitemap")).content


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.ico")


def test_the_printout_keeps_source_time_index_number_address_and_qr_code(client, report):
    """print.css shows these; the page must hold them (the browser test checks they print)."""
    page = client.get(report.get_absolute_url()).content.decode()
    assert "来源：" in page
    assert "发布时间：" in page
    assert report.index_number in page
    assert '<div class="print-trace">' in page
    assert f'本页网址：<span translate="no">http://testserver{report.get_absolute_url()}</span>' in page
    assert f'src="{reverse("reports:report_qr", kwargs={"year": 2019, "org": "pandong"})}"' in page


def test_the_article_links_its_correction_form_without_carrying_a_form_itself(client, report):
    response = client.get(report.get_absolute_url())
    page = response.content.decode()
    assert reverse("reports:correction", kwargs={"year": 2019, "org": "pandong"}) in page
    assert "csrfmiddlewaretoken" not in page
    assert not response.cookies  # still the same page for every reader, and kept
