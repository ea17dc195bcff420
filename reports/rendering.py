"""Rendered HTML of public pages, cached under facts that never change.

A revision's content is immutable, so the HTML of its body is cached under the revision
id and never goes stale. A whole article page is cached under everything else it shows
(which revision is public and since when, the neighbouring reports' public revisions,
the reader's text size, the host), and all of that is read from the database on every
request: a publication, a withdrawal or a schedule passing changes the key, so the very
next request on every server renders the new page, with no flush. The view count, the
one thing that changes on every view, is left as a marker and filled in per request.

Keys carry ``version()``, a digest of the templates, the code, the static manifest, the
site settings and the database, so a shared cache (``REDIS_URL``) never hands one
release or one database the HTML of another.
"""

import functools
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from reports.compiled import execute
from reports.models import Organization, Report, WorkflowAction, WorkflowEvent
from reports.views.preferences import current_font_size

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
    roots = [Path(settings.BASE_DIR) / "templates", Path(__file__).resolve().parent]
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


def _key(kind: str, *parts) -> str:
    facts = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"rendered:{kind}:{version()}:{facts}"


def cached_body(revision_id: int, render: Callable[[], str]) -> SafeString:
    """The body HTML of a revision: ``render()`` once, then from the cache for good."""
    store = caches[CACHE_ALIAS]
    key = _key("body", revision_id)
    html = store.get(key)
    if html is None:
        html = str(render())
        store.set(key, html, TIMEOUT)
    return mark_safe(html)  # noqa: S308 - rendered by our templates from sanitized content


@dataclass(frozen=True)
class CountedPage:
    """A rendered page split where the view count goes."""

    head: str
    tail: str

    def with_view_count(self, view_count: int) -> str:
        return f"{self.head}{view_count}{self.tail}"


def cached_page(facts: tuple, render: Callable[[], str], *, request=None) -> CountedPage | None:
    """The page for ``facts``, rendered by ``render()`` (with VIEW_COUNT_MARK as its count) once.

    None when the page cannot be shared: it does not show the marker exactly once, or
    rendering it asked for the reader's CSRF token.
    """
    store = caches[CACHE_ALIAS]
    key = _key("page", *facts)
    parts = store.get(key)
    if parts is None:
        html = str(render())
        if html.count(VIEW_COUNT_MARK) != 1 or (request is not None and request.META.get("CSRF_COOKIE_NEEDS_UPDATE")):
            return None
        parts = tuple(html.split(VIEW_COUNT_MARK))
        store.set(key, parts, TIMEOUT)
    return CountedPage(*parts)


@dataclass(frozen=True)
class KeptResponse:
    """A whole response the full middleware stack produced once, short of its view count."""

    head: bytes
    tail: bytes
    headers: dict

    def with_view_count(self, view_count: int) -> HttpResponse:
        content = b"%s%d%s" % (self.head, view_count, self.tail)
        response = HttpResponse(content, headers=self.headers)
        response.headers["Content-Length"] = str(len(content))
        return response


def kept_response(facts: tuple) -> KeptResponse | None:
    """The response kept for ``facts`` by ``keep_response``, if any."""
    kept = caches[CACHE_ALIAS].get(_key("kept", *facts))
    return KeptResponse(*kept) if kept is not None else None


def keep_response(facts: tuple, response) -> None:
    """Keep a shareable article response of the full stack: its cached page and its headers."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return
    store = caches[CACHE_ALIAS]
    page = store.get(_key("page", *facts))
    if page is None:
        return
    charset = response.charset
    # The length changes with the number of digits in the count.
    headers = {name: value for name, value in response.headers.items() if name.lower() != "content-length"}
    store.set(_key("kept", *facts), (page[0].encode(charset), page[1].encode(charset), headers), TIMEOUT)


def public_state() -> tuple:
    """A value that changes whenever what the public lists show may have changed, in one query.

    Publication events are append-only and their effective times fixed, so the number of
    publish and withdraw events in effect only grows: it changes when a report is
    published or withdrawn and when a schedule passes. The latest edit of any report
    (tags, say) or organization (a rename) covers the live fields the lists also show.
    """
    quote = connection.ops.quote_name
    events, reports, organizations = (quote(model._meta.db_table) for model in (WorkflowEvent, Report, Organization))
    # Only quoted table and column names are interpolated; values are bound parameters.
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {events} WHERE {quote('action')} IN (%s, %s)"  # noqa: S608
        f" AND {quote('effective_at')} <= %s),"
        f" (SELECT MAX({quote('updated_at')}) FROM {reports}),"
        f" (SELECT MAX({quote('updated_at')}) FROM {organizations})"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    _columns, rows = execute(connection, sql, [WorkflowAction.PUBLISH.value, WorkflowAction.WITHDRAW.value, now])
    return tuple(str(value) for value in rows[0])


def public_page_facts(request, name: str) -> tuple:
    """What a page cached under the public state depends on: the view, the address with
    its query, the reader's text size, the host, and ``public_state()``."""
    return (
        name,
        request.get_full_path(),
        current_font_size(request),
        request.scheme,
        request.get_host(),
        public_state(),
    )


def cached_public_page(view):
    """Serve a public page from the cache while ``public_state()`` is unchanged.

    Only plain 200 responses that set no cookie are kept. ``PublicPagesMiddleware`` may
    have read the facts already, and keeps the full stack's response when this one was
    shareable.
    """
    name = f"{view.__module__}.{getattr(view, '__qualname__', type(view).__qualname__)}"

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        store = caches[CACHE_ALIAS]
        facts = getattr(request, "public_page_facts", None) or public_page_facts(request, name)
        key = _key("response", *facts)
        kept = store.get(key)
        if kept is not None:
            content, headers = kept
            request.public_page_shareable = True
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            # A page that asked for a CSRF token is personal.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        ):
            store.set(key, (response.content, dict(response.headers.items())), TIMEOUT)
            request.public_page_shareable = True
        return response

    wrapper.public_page_name = name
    return wrapper


@dataclass(frozen=True)
class KeptPage:
    """A public page's whole response as the full middleware stack produced it."""

    content: bytes
    headers: dict

    def response(self) -> HttpResponse:
        return HttpResponse(self.content, headers=self.headers)


def kept_page(facts: tuple) -> KeptPage | None:
    kept = caches[CACHE_ALIAS].get(_key("kept-page", *facts))
    return KeptPage(*kept) if kept is not None else None


def keep_page(facts: tuple, response) -> None:
    """Keep the full stack's response to a shareable public page, for ``kept_page``."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return
    caches[CACHE_ALIAS].set(_key("kept-page", *facts), (response.content, dict(response.headers.items())), TIMEOUT)


def clear_local_caches() -> None:
    """Forget the per-process memo of ``version()`` (after templates or settings change)."""
    version.cache_clear()
