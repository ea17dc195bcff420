"""Public pages the full stack already produced, served right after whitenoise.

A viral report sends thousands of readers to one article, and from there to the lists.
Once the full middleware stack has produced a page's response for a set of facts (see
``reports.rendering``), this middleware answers the next readers with that response —
same body, same headers — as whitenoise answers for a static file, skipping the
middleware that only matters to signed-in staff (sessions, CSRF, second factor, lockouts,
audit context). The facts are still read from the database on every request, and the
article's view is counted by the same UPDATE, so nothing is stale and every view counts.
Anything not already kept goes down the full stack, which then keeps it.
"""

import functools

from django.core.exceptions import DisallowedHost
from django.urls import Resolver404, get_urlconf, resolve, reverse

from reports import rendering
from reports.views import articles


class PublicPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "GET":
            return self.get_response(request)
        try:
            match = resolve(request.path_info, urlconf=_public_urlconf())
        except Resolver404:
            return self.get_response(request)
        try:
            if match.func is articles.report_detail:
                return self.article(request, match.kwargs)
            name = getattr(match.func, "public_page_name", None)
            if name is not None:
                return self.public_page(request, name)
        except DisallowedHost:
            pass  # the full stack answers a bad Host header with its 400
        return self.get_response(request)

    def article(self, request, kwargs: dict):
        # The text-size form echoes the address: with a query string the page is rendered afresh.
        if request.META.get("QUERY_STRING"):
            return self.get_response(request)
        report = articles.public_report(**kwargs)
        if report is None:
            return self.get_response(request)
        facts = articles.page_facts(request, report)
        kept = rendering.kept_response(facts)
        if kept is not None:
            return kept.with_view_count(articles.count_view(report.id))
        request.public_report_read = ((kwargs["year"], kwargs["org"]), report)
        response = self.get_response(request)
        if getattr(request, "cached_page_facts", None) == facts:
            rendering.keep_response(facts, response)
        return response

    def public_page(self, request, name: str):
        facts = rendering.public_page_facts(request, name)
        kept = rendering.kept_page(facts)
        if kept is not None:
            return kept.response()
        request.public_page_facts = facts
        response = self.get_response(request)
        if getattr(request, "public_page_shareable", False):
            rendering.keep_page(facts, response)
        return response


@functools.cache
def _public_urlconf() -> str | None:
    """The public site's own URLconf when it is mounted at the root: no walk through the admin's patterns."""
    return "reports.urls" if reverse("reports:home") == "/" else get_urlconf()
