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
