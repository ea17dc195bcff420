"""公开情况: the public record of a year, from the dashboard's rows, cached and in the sitemap."""

import pytest
from django.urls import reverse

from tests import factories
from tests.reports.duty.conftest import beijing


@pytest.fixture
def cycle(clock, district):
    streets = [factories.make_organization(parent=district, reports_annually=True, name=f"街道{n}") for n in range(3)]
    clock.now = beijing(2020, 3, 20)
    published = factories.make_published_report(organization=streets[0], year=2019)
    factories.make_report(organization=streets[1], year=2019)
    clock.now = beijing(2020, 4, 10, 9, 0)
    return streets, published


def test_the_public_record_lists_every_unit_and_links_the_public_reports(client, cycle):
    streets, published = cycle

    html = client.get(reverse("reports:disclosure", args=[2019])).content.decode()

    assert all(street.name in html for street in streets)
    assert f'<a href="{published.get_absolute_url()}">已公开</a>' in html
    assert "2020-03-20 00:00" in html and "按时" in html
    assert html.count("已逾期 10 天，尚未完成") == 2


def test_the_public_record_never_tells_the_state_of_a_draft(client, cycle):
    html = client.get(reverse("reports:disclosure", args=[2019])).content.decode()

    assert "草稿" not in html and "待起草人" not in html


def test_days_overdue_grow_overnight_in_a_cached_page(client, cycle, clock):
    url = reverse("reports:disclosure", args=[2019])
    assert "已逾期 10 天" in client.get(url).content.decode()

    clock.now = beijing(2020, 4, 10, 23, 59)
    assert "已逾期 10 天" in client.get(url).content.decode()
    clock.now = beijing(2020, 4, 11, 0, 0)
    assert "已逾期 11 天" in client.get(url).content.decode()


def test_a_publication_shows_on_the_next_request(client, cycle, clock):
    streets, _published = cycle
    url = reverse("reports:disclosure", args=[2019])
    client.get(url)

    late = factories.make_published_report(organization=streets[2], year=2019)

    html = client.get(url).content.decode()
    assert f'<a href="{late.get_absolute_url()}">已公开</a>' in html
    assert "逾期 10 天" in html


def test_the_page_is_served_from_the_cache(client, cycle, django_assert_max_num_queries):
    url = reverse("reports:disclosure", args=[2019])
    client.get(url)

    with django_assert_max_num_queries(1):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("year", [2021, 2030, 1999])
def test_years_without_a_record_are_404(client, cycle, year):
    assert client.get(reverse("reports:disclosure", args=[year])).status_code == 404


def test_the_record_pages_are_in_the_sitemap(client, cycle):
    found = factories.sitemap_locations(client)

    assert f"http://testserver{reverse('reports:disclosure', args=[2019])}" in found
    assert f"http://testserver{reverse('reports:disclosure', args=[2020])}" in found
