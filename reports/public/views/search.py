"""Search over the titles and full text of published reports (Chinese substring match)."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.public.chinese import to_simplified
from reports.public.pages import public_page
from reports.public.queries import containing, public_reports, with_public_text
from reports.public.views.paging import paginate

MAX_QUERY_LENGTH = 50
MAX_TERMS = 5


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("搜索词"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": gettext_lazy("搜索词太长，请不要超过 %(limit_value)d 个字。")},
    )

    def terms(self) -> list[str]:
        """Space-separated words, each of which a result must contain, in simplified characters
        (the reports are written in them; a reader may type 繁體)."""
        if not self.is_valid():
            return []
        return to_simplified(self.cleaned_data["q"]).split()[:MAX_TERMS]


# Results change only when what is public changes: repeated searches come from the cache.
@public_page
def search(request):
    form = SearchForm(request.GET)
    terms = form.terms()
    page = None
    if terms:
        results = with_public_text(public_reports())
        for term in terms:
            results = containing(results, term)
        page = paginate(request, results)
    context = {
        "form": form,
        "terms": terms,
        "page_obj": page,
        "breadcrumbs": [{"label": _("站内搜索"), "url": None}],
    }
    return render(request, "reports/search.html", context)
