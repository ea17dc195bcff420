"""The one allow-list for report rich text, and the plain-text helpers beside it.

Rich text (preambles, section intros, item bodies) may keep only:

* paragraphs and line breaks: ``p``, ``br``, ``blockquote``, ``h3``, ``h4``
* emphasis: ``strong``, ``b``, ``em``, ``i``, ``u``
* lists: ``ul``, ``ol``, ``li``
* tables: ``table``, ``caption``, ``thead``, ``tbody``, ``tr``, ``th``, ``td``
  (``colspan``/``rowspan`` as small positive numbers)
* links: ``a`` with ``href`` and ``title``; ``href`` must be http, https, mailto or a
  relative address inside the portal. Every link gets ``rel="noopener noreferrer nofollow"``.
  Links to other sites are allowed (reports cite other government sites) and marked
  ``rel="external …"`` so pages can show them as such; an address that looks relative
  but leads to another site (``//host``, ``/\\host``, ``\\\\host``: browsers read
  backslashes as slashes) loses its ``href``.

Nothing else survives: no ``style``, ``class`` or ``id``, no event handlers, no images.
Disallowed tags are removed and their text kept, except for elements whose content is
code or a foreign document (script, style, iframe, object, svg, math, ...), which go
with everything inside them. The output is stored, so templates may render it as is.
"""

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import bleach
import html5lib
from bleach.html5lib_shim import Filter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "blockquote", "h3", "h4",
        "strong", "b", "em", "i", "u",
        "ul", "ol", "li",
        "table", "caption", "thead", "tbody", "tr", "th", "td",
        "a",
    }
)  # fmt: skip
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"
EXTERNAL_LINK_REL = f"external {LINK_REL}"
WEB_PROTOCOLS = frozenset({"http", "https"})

# Dropped together with their content: keeping the "text" of a script or a style sheet
# would publish code, and raw-text elements are where mutation-XSS payloads hide.
DROP_WITH_CONTENT = frozenset(
    {
        "script", "style", "template", "noscript", "noembed", "noframes", "xmp", "plaintext",
        "iframe", "frame", "frameset", "object", "embed", "applet", "param",
        "svg", "math", "textarea", "select", "title", "head", "base", "link", "meta",
    }
)  # fmt: skip

# C0/C1 controls (tab and newlines stay), bidi embeddings, overrides and isolates
# (U+202A-U+202E, U+2066-U+2069: they can make text read differently from what is
# stored), and lone surrogates, which the database cannot store.
_UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

# "<" followed by a letter, "/", "!" or "?" would open markup if the text were ever
# rendered unescaped; plain text swaps it for the full-width "＜" Chinese text uses anyway.
_TAG_OPENER = re.compile(r"<(?=[^\W\d_]|[/!?])")

# A tag names a public address (/tags/<name>/): path separators and dot segments would
# make it point elsewhere, and a control character (tabs and newlines included) has no
# business in a one-word label.
_TAG_SEPARATORS = re.compile(r"[/\\]")
_TAG_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
TAG_MAX_LENGTH = 100  # taggit's Tag.name

# Elements that end a line when rich text is flattened for search.
BLOCK_TAGS = frozenset(
    {
        "p", "div", "br", "li", "ul", "ol", "blockquote", "pre", "section", "article", "header",
        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "table", "caption", "thead", "tbody", "tfoot", "tr",
    }
)  # fmt: skip
CELL_TAGS = frozenset({"td", "th"})
_SPAN_VALUE = re.compile(r"[1-9][0-9]?")
# What browsers (and bleach) ignore in a URL before reading its scheme.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f-\xa0\s`]+|[^\x00-\x7f]+")
_URL_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
# A scheme-relative address: the next segment is a host name, not a path.
_SCHEME_RELATIVE = re.compile(r"[/\\]{2}")


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name == "title" or (name == "href" and _is_allowed_url(value))
    if tag in CELL_TAGS:
        return name in {"colspan", "rowspan"} and _SPAN_VALUE.fullmatch(value) is not None
    return False


def _url_as_browsers_read_it(value: str) -> str:
    return _URL_NOISE.sub("", html.unescape(value)).lower()


def _is_allowed_url(value: str) -> bool:
    """Relative within the portal, or http/https/mailto.

    bleach checks schemes too, but with urllib, which reads "javascript:123" as a path
    with a port; this check reads the scheme the way a browser does.
    """
    address = _url_as_browsers_read_it(value)
    if _SCHEME_RELATIVE.match(address):
        return False
    scheme = _URL_SCHEME.match(address)
    return scheme is None or scheme[1] in ALLOWED_PROTOCOLS


def _is_external(href: str) -> bool:
    scheme = _URL_SCHEME.match(_url_as_browsers_read_it(href))
    return scheme is not None and scheme[1] in WEB_PROTOCOLS


class _LinkRelFilter(Filter):
    """Mark every link so it neither leaks the referrer nor passes ranking or ``window.opener``.

    Links to other sites are also marked ``external``.
    """

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in {"StartTag", "EmptyTag"} and token["name"] == "a":
                external = _is_external(token["data"].get((None, "href"), ""))
                token["data"] = {**token["data"], (None, "rel"): EXTERNAL_LINK_REL if external else LINK_REL}
            yield token


_CLEANER = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allow_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[_LinkRelFilter],
)


def remove_unsafe_characters(value: str) -> str:
    """Remove control, bidi-override and surrogate characters; keep tabs and newlines."""
    return _UNSAFE_CHARACTERS.sub("", value)


def sanitize_html(value: str) -> str:
    """Reduce rich text to the allow-list above."""
    if not value:
        return ""
    fragment = _parse(value)
    if not len(fragment) and not fragment.text:
        return ""
    # bleach is the authority on what survives; the pre-pass only removes what must go
    # with its content, which bleach (strip=True) would otherwise turn into visible text.
    return _CLEANER.clean(html5lib.serialize(fragment, tree="etree", quote_attr_values="always"))


def plain_text(value: str) -> str:
    """One line of text for titles, headings, attachment names and tags: no markup at all."""
    if not value:
        return ""
    text = "".join(chunk for kind, chunk in _walk(_parse(value)) if kind == "text")
    return _TAG_OPENER.sub("＜", " ".join(text.split()))


def clean_tag_name(value: str) -> str:
    """A tag name as plain text, or ValidationError saying why it cannot be one ("" for a blank name)."""
    if _TAG_CONTROLS.search(value) or _UNSAFE_CHARACTERS.search(value):
        raise ValidationError(_("标签中不能含有控制字符或不可见的排版字符。"), code="tag_control")
    name = plain_text(value)
    if _TAG_SEPARATORS.search(name) or (name and not name.strip(".")):
        raise ValidationError(
            _("标签“%(name)s”不能含有“/”或“\\”，也不能只由句点组成，请换用其他写法。") % {"name": name},
            code="tag_separator",
        )
    if len(name) > TAG_MAX_LENGTH:
        raise ValidationError(
            _("标签“%(name)s…”太长，最多 %(limit)d 个字。") % {"name": name[:20], "limit": TAG_MAX_LENGTH},
            code="tag_too_long",
        )
    return name


def html_to_text(value: str) -> str:
    """Text for the search index: one line per paragraph, list item or table row."""
    if not value:
        return ""
    pieces: list[str] = []
    for kind, payload in _walk(_parse(value)):
        if kind == "text":
            pieces.append(payload)
        elif payload in BLOCK_TAGS:
            pieces.append("\n")
        elif payload in CELL_TAGS:
            pieces.append(" ")
    lines = (" ".join(line.split()) for line in "".join(pieces).splitlines())
    return "\n".join(line for line in lines if line)


def text_to_html(text: str) -> str:
    """Pasted plain text as escaped ``<p>`` paragraphs, one per non-blank line."""
    lines = (line.strip() for line in remove_unsafe_characters(text or "").splitlines())
    return "\n".join(f"<p>{html.escape(line, quote=False)}</p>" for line in lines if line)


def _parse(value: str) -> ET.Element:
    """Parse a fragment as browsers do and drop comments and content-bearing dangers."""
    fragment = html5lib.parseFragment(remove_unsafe_characters(value), treebuilder="etree", namespaceHTMLElements=False)
    # Iterative, not recursive: hostile input can nest thousands of elements deep.
    parents = [fragment]
    while parents:
        parent = parents.pop()
        kept = None
        for child in list(parent):
            if isinstance(child.tag, str) and _local_name(child.tag) not in DROP_WITH_CONTENT:
                kept = child
                parents.append(child)
                continue
            parent.remove(child)
            if child.tail:
                if kept is None:
                    parent.text = (parent.text or "") + child.tail
                else:
                    kept.tail = (kept.tail or "") + child.tail
    return fragment


def _walk(root: ET.Element) -> Iterator[tuple[str, str]]:
    """Yield ("start", tag), ("text", text) and ("end", tag) in document order."""
    stack: list[tuple[ET.Element, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        name = _local_name(element.tag)
        if closing:
            yield "end", name
            if element.tail and element is not root:
                yield "text", element.tail
            continue
        yield "start", name
        if element.text:
            yield "text", element.text
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()
