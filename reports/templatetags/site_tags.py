"""Site-wide template helpers: the reader's choices and links that keep the current page."""

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import urlencode

from reports.public.preferences import current_font_size

register = template.Library()

# Each choice: its URL name and the query parameter that carries it (reports/public/preferences.py).
_PREFERENCE_LINKS = {"font": "reports:font_size", "care": "reports:care_mode", "script": "reports:script"}


@register.simple_tag(takes_context=True)
def font_size(context) -> str:
    """The text size the reader chose (small, medium or large), from the cookie."""
    return current_font_size(context.get("request"))


@register.simple_tag(takes_context=True)
def preference_url(context, name: str, value: str) -> str:
    """The link that sets the reader's choice ``name`` to ``value`` and comes back to this page."""
    query = urlencode({name: value, "next": context["request"].get_full_path()})
    return f"{reverse(_PREFERENCE_LINKS[name])}?{query}"


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """The current address with ``page`` set to ``number``, keeping every other parameter."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.simple_tag
def page_numbers(page_obj) -> list[int | None]:
    """The page numbers a pagination bar shows: the first, the last, two on each side of the current
    one, and None for each gap; worked out here, not by looping over every page in the template."""
    last, current = page_obj.paginator.num_pages, page_obj.number
    shown = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


@register.simple_tag(takes_context=True)
def absolute_static(context, path: str) -> str:
    """The full address of a static file (for sharing cards, which need one)."""
    return context["request"].build_absolute_uri(static(path))
