"""Hostile input everywhere public: random path segments and query parameters never cause a server error.

The URL patterns come from the resolver, so a public page added later is fuzzed without
touching this file.
"""

import re
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.models import Report
from tests import factories

QUERY_NAMES = ["page", "year", "org", "tag", "q", "font", "next", "kind", "sort", "from", "to", "format"]
TRICKY = [
    "",
    "0",
    "-1",
    "1e9",
    "99999999999999999999999",
    "２０１９",
    "٣",
    "NaN",
    "../../etc/passwd",
    "%00",
    "\x00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "javascript:alert(1)",
    "//evil.example/",
    "https://evil.example/",
    "\u202e",
    "🀄" * 30,
    "a" * 5000,
]
text = st.one_of(
    st.sampled_from(TRICKY),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=60),
)
_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def public_patterns() -> list[tuple[str, URLPattern]]:
    """Every route of the public site (the "reports" namespace), as (route, pattern)."""
    (resolver,) = [p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "reports"]
    return [(str(p.pattern), p) for p in resolver.url_patterns if isinstance(p, URLPattern)]


PATTERNS = public_patterns()


@pytest.fixture(scope="module")
def published_rows(module_rows):
    """One published, tagged report, so valid-looking addresses reach real pages: made once."""
    report = factories.make_published_report()
    report.tags.add("法治政府")
    return report.pk


@pytest.fixture
def published(published_rows):
    return Report.objects.get(pk=published_rows)


def segment(converter: str, real: list[str]):
    choices = [text, st.sampled_from(real)] if real else [text]
    quote_safe = "/" if converter == "path" else ""
    return st.one_of(*choices).map(lambda value: quote(value, safe=quote_safe))


@pytest.mark.parametrize(("route", "pattern"), PATTERNS, ids=[route for route, _ in PATTERNS])
@pytest.mark.django_db
def test_public_addresses_never_answer_with_a_server_error(client, published, route, pattern):
    real = {"year": [str(published.year)], "org": [published.organization.slug], "name": ["法治政府"], "pk": ["1"]}
    parts = _CONVERTER.split(route)
    fields = [(parts[i], parts[i + 1]) for i in range(1, len(parts), 3)]

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        values=st.tuples(*(segment(converter or "str", real.get(name, [])) for converter, name in fields)),
        query=st.dictionaries(st.sampled_from(QUERY_NAMES), text, max_size=4),
    )
    def check(values, query):
        pieces = iter(values)
        path = _CONVERTER.sub(lambda match: next(pieces), route)
        response = client.get("/" + path, query)
        assert response.status_code < 500, (path, query)

    check()


@pytest.mark.parametrize("host", ["evil.example", "fzzf.example.gov.cn.evil.example", "localhost:abc", "[::1"])
def test_a_crafted_host_header_is_refused(client, host):
    assert client.get("/", HTTP_HOST=host).status_code == 400


@pytest.mark.django_db
def test_a_forwarded_host_header_is_ignored(client, published):
    response = client.get("/feeds/atom.xml", HTTP_X_FORWARDED_HOST="evil.example")
    assert response.status_code == 200
    assert b"evil.example" not in response.content
