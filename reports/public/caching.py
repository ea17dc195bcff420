"""Public pages kept whole, under keys made of facts that are read on every request.

What the public sees changes only through a publication, a withdrawal, a schedule coming
due or an organization renamed, and ``reports.models.public_state()`` changes exactly
then. So a public page is kept under its address, the reader's preferences, the host and
that state, and never needs purging: the next request after a change finds a new key.

Two kinds of entries, both in Django's ``default`` cache:

* ``page``: a whole response the full middleware stack produced (body and headers, CSP
  included), replayed by ``reports.public.middleware``. An article's body is kept split
  where its view count goes, and each request fills in its own count.
* ``body``: the HTML of a revision's body, which never changes, so an article re-rendered
  after some other report's publication costs a template, not the whole report.

Keys carry ``version()``, a digest of the templates, the code, the static manifest, the
site settings and the database, so a shared cache (``REDIS_URL``) never hands one release
or one database the HTML of another.
"""

import functools
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.safestring import SafeString, mark_safe

CACHE_ALIAS = "default"
# Long enough to be "forever" for a page, short enough that a shared cache sheds old releases.
TIMEOUT = 7 * 24 * 60 * 60
# Unguessable, so no report text can contain it and be taken for the view count.
VIEW_COUNT_MARK = f"view-count-{secrets.token_hex(8)}"
CODE_SUFFIXES = {".py", ".html", ".txt", ".xml"}


@functools.cache
def version() -> str:
    """Digest of everything besides the database rows that decides the HTML."""
    digest = hashlib.sha256()
    roots = [Path(settings.BASE_DIR) / "templates", Path(__file__).resolve().parent.parent]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in CODE_SUFFIXES and "migrations" not in path.parts and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    site = [(name, str(getattr(settings, name))) for name in dir(settings) if name.startswith("PORTAL_")]
    database = settings.DATABASES["default"]
    digest.update(repr((site, database.get("HOST"), database.get("PORT"), database.get("NAME"))).encode())
    return digest.hexdigest()[:16]


def clear_local_caches() -> None:
    """Forget the per-process memo of ``version()`` (after templates or settings change)."""
    version.cache_clear()


def _key(kind: str, facts: tuple) -> str:
    digest = hashlib.sha256(repr(facts).encode()).hexdigest()[:32]
    return f"public:{kind}:{version()}:{digest}"


def cached_body(revision_id: int, render: Callable[[], str]) -> SafeString:
    """The body HTML of a revision: ``render()`` once, then from the cache for good."""
    store = caches[CACHE_ALIAS]
    key = _key("body", (revision_id,))
    html = store.get(key)
    if html is None:
        html = str(render())
        store.set(key, html, TIMEOUT)
    return mark_safe(html)  # noqa: S308 - rendered by our templates from sanitized content


def kept(kind: str, facts: tuple, build: Callable[[], object]) -> object:
    """``build()`` once per ``facts`` (which must include the public state if the value depends on it), then
    from the cache: for values other than whole pages, such as open data documents and files."""
    store = caches[CACHE_ALIAS]
    key = _key(kind, facts)
    value = store.get(key)
    if value is None:
        value = build()
        store.set(key, value, TIMEOUT)
    return value


class CountedResponse(HttpResponse):
    """An article response: the page with this view's count, remembering where the count goes."""

    def __init__(self, page: str, view_count: int, **kwargs):
        head, tail = page.split(VIEW_COUNT_MARK)
        super().__init__(f"{head}{view_count}{tail}", **kwargs)
        self.parts = (head.encode(self.charset), tail.encode(self.charset))


@dataclass(frozen=True)
class KeptPage:
    """A public page's whole response as the full stack produced it: one part, or two around the view count."""

    parts: tuple[bytes, ...]
    headers: dict

    def response(self, view_count: int | None = None) -> HttpResponse:
        content = b"%d" % view_count if view_count is not None else b""
        response = HttpResponse(content.join(self.parts), headers=self.headers)
        response.headers["Content-Length"] = str(len(response.content))
        return response


def kept_page(facts: tuple) -> KeptPage | None:
    """The response kept for a page under ``facts`` by ``keep_page``, if any."""
    kept = caches[CACHE_ALIAS].get(_key("page", facts))
    return KeptPage(*kept) if kept is not None else None


def keep_page(facts: tuple, request, response) -> None:
    """Keep the full stack's response to a public page if it is the same for every reader.

    Not kept: anything but a plain 200, a response that sets a cookie or varies with the
    reader's cookies (a session was read), and a page that asked for a CSRF token.
    """
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or "cookie" in response.headers.get("Vary", "").lower()
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    ):
        return
    keep_response(facts, response)


def keep_response(facts: tuple, response) -> None:
    """Keep ``response`` whole under ``facts`` (the caller has decided it is the same for everyone)."""
    parts = getattr(response, "parts", (response.content,))
    # The length changes with the number of digits in the count.
    headers = {name: value for name, value in response.headers.items() if name.lower() != "content-length"}
    caches[CACHE_ALIAS].set(_key("page", facts), (parts, headers), TIMEOUT)
