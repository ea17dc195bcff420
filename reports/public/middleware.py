"""Public pages the full stack already produced, replayed right after whitenoise.

A report that goes viral sends thousands of readers to one article, and from there to
the lists. Once the full middleware stack has produced a public page's response for a
set of facts (``reports.public.pages.page_facts``), this middleware answers the next
readers with that same response — body and headers, Content-Security-Policy included —
as whitenoise answers for a static file, skipping only the middleware that matters to
signed-in staff (sessions, CSRF, second factor, lockouts, audit context).

The facts are read from the database on every request (one query; for an article, the
statement that also counts the view, ``reports.public.queries.article_view``), so nothing
is stale and every view counts. Anything not kept yet goes down the full stack, and is
kept if it may be shared.
"""

import functools

from django.core.exceptions import DisallowedHost
from django.urls import Resolver404, get_urlconf, resolve, reverse

from reports.models import public_state
from reports.public import caching, counter
from reports.public.pages import page_facts
from reports.public.queries import article_view
from reports.public.views.articles import report_detail


class PublicPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        try:
            match = resolve(request.path_info, urlconf=_public_urlconf())
        except Resolver404:
            return self.get_response(request)
        if not getattr(match.func, "is_public_page", False):
            return self.get_response(request)
        try:
            request.get_host()  # a bad Host header is refused before any query
            if match.func is report_detail:
                return self.article(request, **match.kwargs)
            # Read once per request; the view may reuse it (``public_state_of``).
            request.public_state = public_state()
            facts = page_facts(request, request.public_state, daily=match.func.changes_daily)
            return self.page(request, facts, on_replay=match.func.on_replay)
        except DisallowedHost:
            return self.get_response(request)  # the full stack answers a bad Host header with its 400

    def article(self, request, *, year: int, org: str):
        view = article_view(year=year, org=org, count_view=counter.is_a_view(request))
        if view is None:
            return self.get_response(request)  # the view answers 404, or 410 for a withdrawn report
        facts = page_facts(request, view.public_state)
        kept = caching.kept_page(facts)
        if kept is None:
            request.article_view = view  # counted already: the view renders the page without counting again
            return self.keep(facts, request)
        return kept.response(view.view_count)

    def page(self, request, facts: tuple, *, on_replay=None):
        kept = caching.kept_page(facts)
        if kept is None:
            return self.keep(facts, request)
        if on_replay is not None:
            on_replay(request)
        return kept.response()

    def keep(self, facts: tuple, request):
        response = self.get_response(request)
        caching.keep_page(facts, request, response)
        return response


@functools.cache
def _public_urlconf() -> str | None:
    """The public site's own URLconf when it is mounted at the root: no walk through the admin's patterns."""
    return "reports.public.urls" if reverse("reports:home") == "/" else get_urlconf()
