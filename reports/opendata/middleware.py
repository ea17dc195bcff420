"""Open data responses the full stack already produced, replayed right after whitenoise.

Like ``reports.public.middleware`` for pages: the view (``reports.opendata.views``) makes a
response once per public state, and the full middleware stack adds its headers; this keeps
that whole response and answers the next requests for the same address and state with it,
skipping the middleware that matters only to signed-in staff and the framework's dispatch.
What the view does on every request happens here too: the rate limit per client address,
the conditional GET (304) and the CORS headers, which are part of the kept response.
"""

from django.core.exceptions import DisallowedHost
from django.http import JsonResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe
from django.utils.translation import gettext as _

from reports.models import public_state
from reports.opendata.views import response_facts, throttle_for
from reports.public import caching

# Headers a 304 repeats from the full response (RFC 9110 §15.4.5), and the CORS ones.
NOT_MODIFIED_HEADERS = ("ETag", "Last-Modified", "Cache-Control", "Vary", "Access-Control-Allow-Origin")


class OpenDataMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        if self.prefix is None:
            self.prefix = reverse("opendata:report_list").removesuffix("reports/")
        if request.method not in ("GET", "HEAD") or not request.path_info.startswith(self.prefix):
            return self.get_response(request)
        try:
            facts = ("opendata-response", *response_facts(request, public_state()))
        except DisallowedHost:
            return self.get_response(request)  # the full stack answers a bad Host header with its 400
        kept = caching.kept_page(facts)
        if kept is None:
            response = self.get_response(request)
            # Only what the open data views made: a 200 that is the same for everyone.
            if getattr(response, "open_data", False) and response.status_code == 200:
                caching.keep_response(facts, response)
            return response
        throttle = throttle_for(request.path_info)()
        if not throttle.allow_request(request, None):
            return _too_many(throttle.wait())
        headers = kept.headers
        last_modified = parse_http_date_safe(headers.get("Last-Modified", ""))
        not_modified = get_conditional_response(request, etag=headers.get("ETag"), last_modified=last_modified)
        if not_modified is not None:
            for name in NOT_MODIFIED_HEADERS:
                if name in headers:
                    not_modified[name] = headers[name]
            return not_modified
        return kept.response()


def _too_many(wait: float | None):
    response = JsonResponse({"detail": _("请求过于频繁，请稍后再试。")}, status=429)
    if wait is not None:
        response["Retry-After"] = str(max(1, int(wait)))
    response["Access-Control-Allow-Origin"] = "*"
    return response
