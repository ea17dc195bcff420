"""Every payload in tests/data/xss_payloads.txt, through the sanitizer and read back as a browser would."""

import re

import html5lib

from reports.sanitize import ALLOWED_PROTOCOLS, ALLOWED_TAGS, plain_text, sanitize_html
from tests.factories import xss_payloads

FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "poster", "data", "cite", "srcset"}
# What a browser ignores inside a URL before it reads the scheme.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f\s]+")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_TAG_OPENER = re.compile(r"<(?:[^\W\d_]|[/!?])")

PAYLOADS = xss_payloads()


def _local(name: str) -> str:
    return re.split(r"[}:]", name)[-1].lower()


def _elements(html: str):
    fragment = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    return [element for element in fragment.iter() if element is not fragment]


def test_the_corpus_is_large_enough_to_mean_something():
    assert len(PAYLOADS) >= 160


def _active_parts(output: str) -> list[str]:
    """What in sanitized ``output`` breaks the allow-list (relative links are allowed: they stay in the portal)."""
    found = []
    for element in _elements(output):
        if not isinstance(element.tag, str):
            found.append("comment")
            continue
        tag = _local(element.tag)
        if tag in FORBIDDEN_TAGS or tag not in ALLOWED_TAGS:
            found.append(tag)
        for name, value in element.attrib.items():
            attribute = _local(name)
            if attribute.startswith("on") or attribute not in ALLOWED_ATTRIBUTES.get(tag, set()):
                found.append(f"{tag}[{attribute}]")
            elif attribute in URL_ATTRIBUTES:
                scheme = _SCHEME.match(_URL_NOISE.sub("", value).lower())
                if scheme is not None and scheme[1] not in ALLOWED_PROTOCOLS:
                    found.append(value)
    return found


def test_no_payload_of_the_corpus_keeps_active_content():
    failures = {payload: parts for payload in PAYLOADS if (parts := _active_parts(sanitize_html(payload)))}
    assert failures == {}


def test_sanitizing_twice_changes_nothing():
    assert [payload for payload in PAYLOADS if sanitize_html(sanitize_html(payload)) != sanitize_html(payload)] == []


def test_plain_text_of_any_payload_cannot_open_a_tag():
    assert [payload for payload in PAYLOADS if _TAG_OPENER.search(plain_text(payload))] == []
