"""What a browser could run in a page: the one checker every XSS test in tests/security uses."""

import re

import html5lib

# What a browser ignores inside a URL before it reads the scheme.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f\s]+")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "poster", "data", "cite", "srcset", "xlink:href"}
NEVER_IN_A_PAGE = {"iframe", "frame", "object", "embed", "applet", "svg", "math", "base", "template", "noscript"}
TAG_OPENER = re.compile(r"<(?:[^\W\d_]|[/!?])")


def _local(name: str) -> str:
    return re.split(r"[}:]", name)[-1].lower()


def active_content(html: str | bytes) -> list[str]:
    """Everything in ``html`` that could run code; the site's own ``/static/`` scripts excepted."""
    document = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    found = []
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        tag = _local(element.tag)
        if tag in NEVER_IN_A_PAGE:
            found.append(f"<{tag}>")
        if tag == "script" and not (
            element.get("src", "").startswith("/static/")
            or element.get("type") in ("application/json", "application/ld+json")
        ):
            found.append(f"<script> {element.get('src') or (element.text or '')[:60]!r}")
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
        for name, value in element.attrib.items():
            attribute = _local(name)
            if attribute.startswith("on"):
                found.append(f"<{tag} {attribute}=…>")
            if attribute == "style":
                found.append(f"<{tag} style=…>")
            if attribute in URL_ATTRIBUTES:
                scheme = _SCHEME.match(_URL_NOISE.sub("", value).lower())
                if scheme is not None and scheme[1] not in SAFE_SCHEMES:
                    found.append(f"<{tag} {attribute}={value[:60]!r}>")
    return found
