"""Site-wide template helpers: the reader's text size and links that keep the current filters."""

from django import template

from reports.public.preferences import current_font_size

register = template.Library()


@register.simple_tag(takes_context=True)
def font_size(context) -> str:
    """The text size the reader chose (small, medium or large), from the cookie."""
    return current_font_size(context.get("request"))


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """The current address with ``page`` set to ``number``, keeping every other parameter."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()
