"""The reader's choices, kept in cookies and set without JavaScript.

Text size (大 / 中 / 小), 关怀版 (the mode for older readers: larger text, stronger
contrast, bigger targets, no decoration) and 简体 / 繁體. A link or a small form sets the
cookie and goes back to the page; with JavaScript on, the page's script writes the same
cookies. Pages differ by these choices, so they are part of every public page's cache key
(``reader_preferences``).
"""

from dataclasses import dataclass

from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

FONT_SIZES = ("small", "medium", "large")
DEFAULT_FONT_SIZE = "medium"
FONT_COOKIE = "font_size"
CARE_COOKIE = "care_mode"
CARE_VALUES = ("on", "off")
SCRIPT_COOKIE = "script"
SCRIPTS = ("hans", "hant")  # 简体, 繁體
COOKIE_AGE = 365 * 24 * 60 * 60


@dataclass(frozen=True)
class ReaderPreferences:
    font_size: str = DEFAULT_FONT_SIZE
    care: bool = False
    traditional: bool = False

    @property
    def lang(self) -> str:
        """The page's ``lang``: the script the reader reads it in."""
        return "zh-Hant" if self.traditional else "zh-Hans"


def current_preferences(request) -> ReaderPreferences:
    """The reader's choices from the cookies; an unknown value counts as the default."""
    cookies = request.COOKIES if request is not None else {}
    size = cookies.get(FONT_COOKIE, "")
    return ReaderPreferences(
        font_size=size if size in FONT_SIZES else DEFAULT_FONT_SIZE,
        care=cookies.get(CARE_COOKIE) == "on",
        traditional=cookies.get(SCRIPT_COOKIE) == "hant",
    )


def current_font_size(request) -> str:
    return current_preferences(request).font_size


def reader_preferences(request) -> tuple:
    """Everything about the reader that changes a public page's HTML."""
    preferences = current_preferences(request)
    return (preferences.font_size, preferences.care, preferences.traditional)


def _remember(request, *, cookie: str, parameter: str, allowed: tuple, error: str):
    """Set ``cookie`` to the request's ``parameter`` and go back to ``next`` (on this site only)."""
    value = request.GET.get(parameter, "")
    if value not in allowed:
        return HttpResponseBadRequest(error, content_type="text/plain; charset=utf-8")
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("reports:home")
    response = HttpResponseRedirect(next_url)
    # Not HttpOnly: the page's script writes the same cookie when JavaScript is on.
    response.set_cookie(cookie, value, max_age=COOKIE_AGE, samesite="Lax", secure=request.is_secure(), httponly=False)
    return response


def font_size(request):
    return _remember(
        request, cookie=FONT_COOKIE, parameter="font", allowed=FONT_SIZES, error=_("字号只能是大、中、小之一。")
    )


def care_mode(request):
    return _remember(
        request, cookie=CARE_COOKIE, parameter="care", allowed=CARE_VALUES, error=_("关怀版只能打开或关闭。")
    )


def script(request):
    return _remember(
        request, cookie=SCRIPT_COOKIE, parameter="script", allowed=SCRIPTS, error=_("只能选择简体或繁體。")
    )
