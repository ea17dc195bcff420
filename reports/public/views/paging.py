"""Pagination for public lists: a page that does not exist is a 404, never an error page."""

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404
from django.utils.translation import gettext as _

PER_PAGE = 20


def paginate(request, items, per_page: int = PER_PAGE) -> Page:
    try:
        return Paginator(items, per_page).page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404(_("没有这一页。")) from None
