"""Every payload in tests/data/xss_payloads.txt, through the sanitizer and read back as a browser would."""

import re
from pathlib import Path

import html5lib
import pytest

from reports.sanitize import ALLOWED_PROTOCOLS, ALLOWED_TAGS, plain_text, sanitize_html

CORPUS = Path(__file__).resolve().parent.parent / "data" / "xss_payloads.txt"
_ESCAPE = re.compile(r"\\(\\|n|r|U[0-9A-Fa-f]{8})")
_ESCAPED = {"\\": "\\", "n": "\n", "r": "\r"}

FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "poster", "data", "cite", "srcset"}
# What a browser ignores inside a URL before it reads the scheme.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f\s]+")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_TAG_OPENER = re.compile(r"<(?:[^\W\d_]|[/!?])")


def _unescape(line: str) -> str:
    def replace(match: re.Match) -> str:
        code = match[1]
        return chr(int(code[1:], 16)) if code.startswith("U") else _ESCAPED[code]

    return _ESCAPE.sub(replace, line)


def _payloads() -> list[str]:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [_unescape(line) for line in lines if line.strip() and not line.startswith("#")]


PAYLOADS = _payloads()


def _local(name: str) -> str:
    return re.split(r"[}:]", name)[-1].lower()


def _elements(html: str):
    fragment = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    return [element for element in fragment.iter() if element is not fragment]


def test_the_corpus_is_large_enough_to_mean_something():
    assert len(PAYLOADS) >= 160


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitized_payload_has_no_active_content(payload):
    """Relative links are allowed: they can only point inside the portal."""
    output = sanitize_html(payload)
    for element in _elements(output):
        assert isinstance(element.tag, str), "comments do not survive"
        tag = _local(element.tag)
        assert tag not in FORBIDDEN_TAGS
        assert tag in ALLOWED_TAGS
        for name, value in element.attrib.items():
            attribute = _local(name)
            assert not attribute.startswith("on")
            assert attribute != "style"
            assert attribute in ALLOWED_ATTRIBUTES.get(tag, set())
            if attribute in URL_ATTRIBUTES:
                scheme = _SCHEME.match(_URL_NOISE.sub("", value).lower())
                assert scheme is None or scheme[1] in ALLOWED_PROTOCOLS, value


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitizing_a_payload_twice_changes_nothing(payload):
    once = sanitize_html(payload)
    assert sanitize_html(once) == once


@pytest.mark.parametrize("payload", PAYLOADS)
def test_plain_text_of_a_payload_cannot_open_a_tag(payload):
    assert not _TAG_OPENER.search(plain_text(payload))
