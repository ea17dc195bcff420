"""Search over the titles and full text of published reports (Chinese substrings, see ``reports.search``)."""

from django import forms
from django.core.paginator import InvalidPage
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.models import SectionKind
from reports.public.pages import public_page, public_state_of
from reports.public.queries import search_corpus, search_reports
from reports.search import log
from reports.search.engine import Filters
from reports.search.query import MAX_TERMS

MAX_QUERY_LENGTH = 50
FILTERS = ("year", "org", "region", "part")


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("搜索词"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": gettext_lazy("搜索词太长，请不要超过 %(limit_value)d 个字。")},
    )

    def query(self) -> str:
        """The query if it is valid and has something to look for, else ''."""
        if not self.is_valid():
            return ""
        return self.cleaned_data["q"] if self.cleaned_data["q"].split() else ""


def filters_of(params: QueryDict, corpus) -> Filters:
    """The filters asked for; a value that names nothing is ignored, as in the lists."""
    year = params.get("year", "")
    units = corpus.unit_by_slug
    part = params.get("part")
    return Filters(
        year=int(year) if year.isdigit() and len(year) == 4 else None,
        unit=units.get(params.get("org", "")),
        region=units.get(params.get("region", "")),
        part=part if part in SectionKind.values else None,
    )


def _counted(request) -> bool:
    """A new search: its first page, not narrowed by a filter."""
    return not any(request.GET.get(name) for name in ("page", *FILTERS))


def _link(request, **changes) -> str:
    """This search's address with some parameters changed (None removes one), back to its first page."""
    params = request.GET.copy()
    params.pop("page", None)
    for name, value in changes.items():
        params.pop(name, None)
        if value is not None:
            params[name] = value
    return f"{reverse('reports:search')}?{params.urlencode()}"


def record_kept_search(request) -> None:
    """A search answered from a kept page still counts in the search log."""
    form = SearchForm(request.GET)
    if _counted(request) and form.query():
        log.record_again(log.phrase_of(form.query()))


# Results change only when what is public (or a synonym) changes: repeated searches come from the cache.
@public_page(on_replay=record_kept_search)
def search(request):
    form = SearchForm(request.GET)
    text = form.query()
    context = {"form": form, "breadcrumbs": [{"label": _("站内搜索"), "url": None}], "found": None}
    if text:
        corpus = search_corpus(public_state_of(request))
        filters = filters_of(request.GET, corpus)
        try:
            found = search_reports(text, filters, request.GET.get("page") or 1, corpus)
        except InvalidPage:
            raise Http404(_("没有这一页。")) from None
        if _counted(request):
            log.record(log.phrase_of(text), results=found.count)
        context.update(
            found=found,
            filters=filters,
            facet_links=_facet_links(request, found, filters),
            suggestion_url=_link(request, q=found.suggestion, **dict.fromkeys(FILTERS)) if found.suggestion else None,
            too_many_terms=len(text.split()) > MAX_TERMS,
        )
    return render(request, "reports/search.html", context)


def _facet_links(request, found, filters: Filters) -> dict:
    """Each facet value as (label, count, address, selected), and the address without each active filter."""
    labels = dict(SectionKind.choices)
    return {
        "years": [
            (_("%(year)s年度") % {"year": year}, count, _link(request, year=str(year)), year == filters.year)
            for year, count in found.facets.years
        ],
        "regions": [
            (unit.name, count, _link(request, region=unit.slug, org=None), unit.id == filters.region)
            for unit, count in found.facets.regions
        ],
        "units": [
            (unit.name, count, _link(request, org=unit.slug), unit.id == filters.unit)
            for unit, count in found.facets.units
        ],
        "parts": [
            (labels[part], count, _link(request, part=part), part == filters.part) for part, count in found.facets.parts
        ],
        "clear": {name: _link(request, **{name: None}) for name in FILTERS if request.GET.get(name)},
    }
