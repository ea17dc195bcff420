"""The reader's choices (text size), kept in a cookie and set without JavaScript.

A link sets the cookie and goes back. Pages differ by these choices, so they are part of
every public page's cache key (``reader_preferences``).
"""

from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

FONT_SIZES = ("small", "medium", "large")
DEFAULT_FONT_SIZE = "medium"
FONT_COOKIE = "font_size"
FONT_COOKIE_AGE = 365 * 24 * 60 * 60


def current_font_size(request) -> str:
    size = request.COOKIES.get(FONT_COOKIE, "") if request is not None else ""
    return size if size in FONT_SIZES else DEFAULT_FONT_SIZE


def reader_preferences(request) -> tuple:
    """Everything about the reader that changes a public page's HTML."""
    return (current_font_size(request),)


def font_size(request):
    size = request.GET.get("font", "")
    if size not in FONT_SIZES:
        return HttpResponseBadRequest(_("字号只能是大、中、小之一。"), content_type="text/plain; charset=utf-8")
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("reports:home")
    response = HttpResponseRedirect(next_url)
    # Not HttpOnly: the page's script writes the same cookie when JavaScript is on.
    response.set_cookie(
        FONT_COOKIE, size, max_age=FONT_COOKIE_AGE, samesite="Lax", secure=request.is_secure(), httponly=False
    )
    return response
