"""Public pages in traditional characters (繁體) for readers who chose them.

The pages are written once, in simplified characters; ``TraditionalChineseMiddleware``
converts the HTML the full stack produced when the reader's preference says 繁體. It sits
below ``PublicPagesMiddleware``, so the page that middleware keeps (under the reader's
preferences, which include the script) is already converted, and a kept page costs no
conversion at all.

Only what a reader reads is converted: text, the page title and the attributes that are
words (``alt``, ``title``, ``aria-label``, ``placeholder``, ``data-text-*`` messages for
scripts, and the ``content`` of the descriptive meta tags). Addresses, form values (the
CSRF token, a search the reader typed), scripts, styles, a ``<textarea>`` and anything
inside an element marked ``translate="no"`` are left exactly as they are.
"""

import re

from django.urls import reverse

from reports.public.chinese import to_traditional
from reports.public.preferences import current_preferences

# Comments, raw-text elements whole, then any tag; what lies between is text.
_MARKUP = re.compile(
    r"<!--.*?-->|<(script|style|textarea)\b[^>]*>.*?</\1\s*>|<!?/?[a-zA-Z][^>]*>",
    re.DOTALL | re.IGNORECASE,
)
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)")
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(\s*=\s*)("[^"]*"|'[^']*')""")
_WORD_ATTRIBUTES = frozenset({"alt", "title", "aria-label", "aria-description", "placeholder", "label"})
_DESCRIPTIVE_META = frozenset(
    {
        "description",
        "keywords",
        "sitename",
        "columnname",
        "columndescription",
        "columnkeywords",
        "columntype",
        "articletitle",
        "contentsource",
        "author",
        "og:title",
        "og:description",
        "og:site_name",
    }
)
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
# Between pieces of text converted in one call: not Chinese, so OpenCC never joins two
# pieces into one phrase; a private-use character no page of ours contains.
_SEPARATOR = "\ue000"


def traditional_html(html: str, variant: str | None = None) -> str:
    """``html`` with the text a reader reads in traditional characters (see the module's docstring)."""
    pieces: list[str] = []  # markup and text, in order
    texts: list[int] = []  # indexes in ``pieces`` of the text to convert
    kept: tuple[str, int] | None = None  # inside translate="no": (tag name, nesting depth)
    position = 0
    for match in _MARKUP.finditer(html):
        if match.start() > position:
            _add_text(pieces, texts, html[position : match.start()], convert=kept is None)
        markup = match.group()
        position = match.end()
        name = _TAG_NAME.match(markup)
        if kept is not None:
            kept = _still_kept(kept, name)
            pieces.append(markup)
        elif name is None or name.group(1):
            pieces.append(markup)  # an end tag, a comment or the doctype
        elif 'translate="no"' in markup.split(">", 1)[0]:
            pieces.append(markup)
            if name.group(2).lower() not in _VOID and not match.group(1):
                kept = (name.group(2).lower(), 1)
        else:
            # A start tag, or a script, style or textarea whole: only the opening tag's words change.
            opening, _, rest = markup.partition(">")
            words = _ATTRIBUTE.sub(lambda found, tag=opening: _attribute(found, tag, variant), opening)
            pieces.append(f"{words}>{rest}")
    _add_text(pieces, texts, html[position:], convert=kept is None)
    if texts:
        originals = [pieces[index] for index in texts]
        if any(_SEPARATOR in text for text in originals):
            converted = [to_traditional(text, variant) for text in originals]
        else:
            converted = to_traditional(_SEPARATOR.join(originals), variant).split(_SEPARATOR)
        for index, text in zip(texts, converted, strict=True):
            pieces[index] = text
    return "".join(pieces)


def _add_text(pieces: list, texts: list, text: str, *, convert: bool) -> None:
    if not text:
        return
    if convert and not text.isascii():
        texts.append(len(pieces))
    pieces.append(text)


def _still_kept(kept: tuple[str, int], name) -> tuple[str, int] | None:
    """Follow the nesting of the element marked ``translate="no"``; None once it has closed."""
    tag, depth = kept
    if name is None or name.group(2).lower() != tag:
        return kept
    depth += -1 if name.group(1) else 1
    return (tag, depth) if depth else None


def _attribute(found, tag: str, variant: str | None) -> str:
    name, equals, quoted = found.groups()
    name = name.lower()
    value = quoted[1:-1]
    words = name in _WORD_ATTRIBUTES or name.startswith("data-text-")
    if name == "content" and tag[1:5].lower() == "meta":
        meta = re.search(r"""\b(?:name|property)\s*=\s*["']([^"']*)["']""", tag)
        words = meta is not None and meta.group(1).lower() in _DESCRIPTIVE_META
    if not words or value.isascii():
        return found.group()
    return f"{found.group(1)}{equals}{quoted[0]}{to_traditional(value, variant)}{quoted[-1]}"


class TraditionalChineseMiddleware:
    """Convert the HTML of public pages to traditional characters for readers who chose 繁體."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not current_preferences(request).traditional
            or response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
            or request.path_info.startswith(self._admin_prefix())
        ):
            return response
        parts = getattr(response, "parts", None)
        if parts is not None:
            # An article: its two halves around the view count are kept apart (reports/public/caching.py).
            head, tail = parts
            count = response.content[len(head) : len(response.content) - len(tail)]
            response.parts = tuple(
                traditional_html(part.decode(response.charset)).encode(response.charset) for part in parts
            )
            response.content = count.join(response.parts)
        else:
            response.content = traditional_html(response.content.decode(response.charset)).encode(response.charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response

    def _admin_prefix(self) -> str:
        # The back office is for staff and stays as written.
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        return self.admin_prefix
