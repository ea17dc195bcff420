"""Cached article pages served right after whitenoise, as whitenoise serves static files.

The article is the page a viral report sends thousands of readers to. Once the full stack
has produced its response for a set of facts (see ``reports.rendering``), this middleware
answers the next readers with that response — same body, same headers — skipping the
middleware that only matter to signed-in staff (sessions, CSRF, second factor, lockouts).
It still reads the facts from the database and counts the view with the same UPDATE, so
nothing is stale and every view counts. Anything not already kept goes down the full stack.
"""

import functools

from django.core.exceptions import DisallowedHost
from django.urls import Resolver404, get_urlconf, resolve, reverse

from reports import rendering
from reports.views import articles


class CachedArticleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "GET" or request.META.get("QUERY_STRING"):
            return self.get_response(request)
        try:
            match = resolve(request.path_info, urlconf=_article_urlconf())
        except Resolver404:
            return self.get_response(request)
        if match.func is not articles.report_detail:
            return self.get_response(request)
        report = articles.public_report(**match.kwargs)
        if report is None:
            return self.get_response(request)
        try:
            facts = articles.page_facts(request, report)
        except DisallowedHost:
            return self.get_response(request)
        kept = rendering.kept_response(facts)
        if kept is not None:
            return kept.with_view_count(articles.count_view(report.id))
        request.public_report_read = ((match.kwargs["year"], match.kwargs["org"]), report)
        response = self.get_response(request)
        if getattr(request, "cached_page_facts", None) == facts:
            rendering.keep_response(facts, response)
        return response


@functools.cache
def _article_urlconf() -> str | None:
    """The public site's own URLconf when it is mounted at the root, which spares walking the admin's patterns."""
    return "reports.urls" if reverse("reports:home") == "/" else get_urlconf()
