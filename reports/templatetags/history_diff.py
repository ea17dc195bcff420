"""Rendering a character diff (``reports.history.compare.TextDiff`` runs) as escaped HTML with <del> and <ins>."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

MARKUP = {"delete": "<del>{}</del>", "insert": "<ins>{}</ins>"}


@register.filter
def diff_runs(runs) -> str:
    """``[(kind, text)]`` → HTML; every text is escaped, only the <del>/<ins> wrappers are markup."""
    # A filter rather than an included template: a 50-item comparison renders a few hundred of these.
    return mark_safe(  # noqa: S308  (every piece below is escaped)
        "".join(format_html(MARKUP[kind], text) if kind in MARKUP else conditional_escape(text) for kind, text in runs)
    )
