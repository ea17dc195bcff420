"""The list of published reports, filterable by year, organization and tag, and the tag pages."""

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.public.pages import public_page
from reports.public.queries import (
    PublishingUnit,
    public_reports,
    public_tag_names,
    published_years,
    publishing_units,
    regions,
    tagged,
)
from reports.public.views.paging import paginate

# Up to this many units, the list offers each in a drop-down; beyond, it offers their regions,
# and residents find a unit through the unit index (so the page does not grow with the units).
UNIT_CHOICES = 60


class ReportFilterForm(forms.Form):
    """The list's filters. A value that has no published reports (a year with none, an unknown
    unit or tag) is said so above an empty list, never silently dropped: the reader would
    take the whole list for that year's."""

    year = forms.TypedChoiceField(label=gettext_lazy("年度"), coerce=int, required=False, empty_value=None)
    region = forms.ChoiceField(label=gettext_lazy("地区"), required=False)
    org = forms.ChoiceField(label=gettext_lazy("发布单位"), required=False)
    tag = forms.ChoiceField(label=gettext_lazy("标签"), required=False)

    def __init__(self, data, *, years: list[dict], units: list[PublishingUnit], tags: list[str]):
        super().__init__(data)
        everything = ("", _("全部"))
        self.units = {unit.slug: unit for unit in units}
        self.fields["year"].choices = [everything] + [
            (entry["year"], _("%(year)s年度") % {"year": entry["year"]}) for entry in years
        ]
        self.fields["org"].choices = [everything] + [(unit.slug, unit.name) for unit in units]
        if tags:
            self.fields["tag"].choices = [everything] + [(name, name) for name in tags]
        else:
            # No public report carries a tag: a filter with only “全部” would offer nothing.
            del self.fields["tag"]
        self.regions = regions(units) if len(units) > UNIT_CHOICES else []
        if self.regions:
            self.fields["region"].choices = [everything] + [(region.slug, region.name) for region in self.regions]
            self.fields["org"].widget = forms.HiddenInput()
        else:
            del self.fields["region"]

    @property
    def chosen_unit(self) -> PublishingUnit | None:
        """The unit filtered on when units are not offered in a drop-down (shown beside the form)."""
        return self.units.get(self.filters().get("org")) if self.regions else None

    def filters(self) -> dict:
        """The valid filters given, as queryset lookups."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned[name] for name in ("year", "region", "org", "tag") if cleaned.get(name) not in (None, "")}

    def unmatched(self) -> list[str]:
        """What to tell the reader about each filter given with a value no published report has."""
        self.is_valid()
        messages = []
        for name in ("year", "region", "org", "tag"):
            value = self.data.get(name, "")
            if not value or (name in self.fields and name not in self.errors):
                continue
            if name == "region":
                # Regions are offered only when the units are too many for a drop-down.
                if "region" in self.fields:
                    messages.append(_("没有找到这个地区已发布的报告。"))
                continue
            if name == "year":
                messages.append(
                    _("%(year)s年度没有已发布的报告。") % {"year": value}
                    if value.isdigit() and len(value) == 4
                    else _("“%(value)s”不是有效的年度。") % {"value": _shown(value)}
                )
            elif name == "org":
                messages.append(_("没有找到这个发布单位已发布的报告。"))
            else:
                messages.append(_("没有带“%(tag)s”标签的已发布报告。") % {"tag": _shown(value)})
        return messages

    def apply(self, reports):
        """``reports`` narrowed by the filters given; nothing at all when one has no reports."""
        if self.unmatched():
            return reports.none()
        filters = self.filters()
        if "year" in filters:
            reports = reports.filter(year=filters["year"])
        if "region" in filters:
            region = next(region for region in self.regions if region.slug == filters["region"])
            reports = reports.filter(
                organization_id__in=[unit.id for unit in self.units.values() if unit.region_id == region.id]
            )
        if "org" in filters:
            reports = reports.filter(organization_id=self.units[filters["org"]].id)
        if "tag" in filters:
            reports = tagged(reports, filters["tag"])
        return reports


def _shown(value: str, limit: int = 50) -> str:
    """A filter value as it may be echoed: short, and without characters HTML cannot carry."""
    return value.replace("\x00", "")[:limit]


@public_page
def report_list(request):
    form = ReportFilterForm(request.GET, years=published_years(), units=publishing_units(), tags=public_tag_names())
    page = paginate(request, form.apply(public_reports()))
    unmatched = form.unmatched()
    context = {
        "form": form,
        "page_obj": page,
        "unmatched": unmatched,
        "filtered": bool(form.filters() or unmatched),
        "breadcrumbs": [{"label": _("法治政府建设"), "url": None}],
    }
    return render(request, "reports/report_list.html", context)


@public_page
def tag(request, name: str):
    """A tag's own page: the published reports that carry it."""
    if "\x00" in name:
        raise Http404(_("没有这个标签。"))
    reports = tagged(public_reports(), name)
    page = paginate(request, reports)
    if not page.paginator.count:
        raise Http404(_("没有这个标签。"))
    context = {
        "tag": name,
        "page_obj": page,
        "breadcrumbs": [
            {"label": _("法治政府建设"), "url": reverse("reports:report_list")},
            {"label": _("标签：%(tag)s") % {"tag": name}, "url": None},
        ],
    }
    return render(request, "reports/tag.html", context)
