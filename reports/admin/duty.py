"""The deadline dashboard: every unit that owes a report for a year, its state and its standing.

Mounted on the organization admin (``DutyAdminMixin``). Everyone on the staff may open it
and sees the units of ``roles.duty_organizations``: all of them for those who read every
report, the inspected ones for 督察员, and only their own for a unit's clerks and editors.
The page, the .xlsx and the CSV come from the same rows (``reports.duty.status``).
"""

from django import forms
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.admin.official import require_inspector
from reports.duty import exports
from reports.duty.deadlines import current_year, deadlines, today
from reports.duty.status import STANDING_LABELS, STATE_LABELS, duty_rows, filter_rows, totals
from reports.models import Organization, OrganizationKind
from reports.official.documents import CONTENT_TYPES, combined
from reports.official.responses import document_response, fonts_required
from reports.roles import duty_organizations

EVERYTHING = ("", gettext_lazy("全部"))
YEARS_SHOWN = 6
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class DutyFilterForm(forms.Form):
    """The dashboard's filters; a value that is not one of the choices is ignored, like the public list's."""

    year = forms.TypedChoiceField(label=gettext_lazy("报告年度"), coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label=gettext_lazy("单位类型"), required=False)
    parent = forms.TypedChoiceField(label=gettext_lazy("上级单位"), coerce=int, required=False, empty_value=None)
    state = forms.ChoiceField(label=gettext_lazy("状态"), required=False)
    standing = forms.ChoiceField(label=gettext_lazy("公开情况"), required=False)

    def __init__(self, data, *, units):
        super().__init__(data)
        latest = current_year()
        self.fields["year"].choices = [
            (year, _("%(year)s年度") % {"year": year}) for year in range(latest, latest - YEARS_SHOWN, -1)
        ]
        self.fields["kind"].choices = [EVERYTHING, *OrganizationKind.choices]
        parents = Organization.objects.filter(children__in=units).distinct()
        self.fields["parent"].choices = [EVERYTHING, *((unit.pk, unit.name) for unit in parents)]
        self.fields["state"].choices = [EVERYTHING, *STATE_LABELS.items()]
        self.fields["standing"].choices = [EVERYTHING, *STANDING_LABELS.items()]

    def values(self) -> dict:
        """The valid filters given, with this cycle's year when none (or a bad one) was."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        valid = {name: cleaned.get(name) for name in self.fields if name not in self.errors}
        return {
            "year": valid.get("year") or current_year(),
            "kind": valid.get("kind") or "",
            "parent": valid.get("parent"),
            "state": valid.get("state") or "",
            "standing": valid.get("standing") or "",
        }


def dashboard_data(request) -> dict:
    """The filtered rows and their totals, for the page and the exports alike."""
    units = duty_organizations(request.user)
    form = DutyFilterForm(request.GET or None, units=units)
    values = form.values()
    year = values.pop("year")
    rows = filter_rows(duty_rows(year, organizations=units), **values)
    return {"form": form, "year": year, "rows": rows, "totals": totals(rows)}


class DutyAdminMixin:
    """Adds the dashboard and its exports to the organization admin."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        urls = [
            path("duty/", self.admin_site.admin_view(self.duty_view), name="{}_{}_duty".format(*info)),
            path(
                "duty/combined.<slug:kind>",
                self.admin_site.admin_view(self.duty_combined_view),
                name="{}_{}_duty_combined".format(*info),
            ),
            path(
                "duty/export.<slug:kind>",
                self.admin_site.admin_view(self.duty_export_view),
                name="{}_{}_duty_export".format(*info),
            ),
        ]
        return urls + super().get_urls()

    def duty_view(self, request):
        data = dashboard_data(request)
        query = request.GET.urlencode()
        context = {
            **self.admin_site.each_context(request),
            **data,
            "opts": self.opts,
            "title": _("%(year)s年度报告公开情况") % {"year": data["year"]},
            "deadlines": deadlines(data["year"]),
            "today": today(),
            "state_labels": STATE_LABELS,
            "standing_labels": STANDING_LABELS,
            "export_urls": {
                kind: reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_duty_export", args=[kind])
                + (f"?{query}" if query else "")
                for kind in EXPORT_TYPES
            },
            # The public record exists for a year some unit owes a report for.
            "public_url": reverse("reports:disclosure", args=[data["year"]])
            if Organization.objects.owing_report(data["year"]).exists()
            else None,
            "combined_urls": {
                kind: reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_duty_combined", args=[kind])
                + (f"?{query}" if query else "")
                for kind in CONTENT_TYPES
            }
            if request.user.has_perm("reports.inspect_reports")
            else None,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/reports/duty/dashboard.html", context)

    @fonts_required
    def duty_combined_view(self, request, kind: str):
        """督察员: one document of the year, a cover table of every unit's standing, then each public report."""
        require_inspector(request)
        if kind not in CONTENT_TYPES:
            raise Http404(_("没有这种格式。"))
        data = dashboard_data(request)
        content = combined(kind, data["rows"], year=data["year"])
        title = _("%(year)s年度法治政府建设情况报告汇编") % {"year": data["year"]}
        return document_response(content, kind=kind, title=title)

    def duty_export_view(self, request, kind: str):
        if kind not in EXPORT_TYPES:
            raise Http404(_("没有这种导出格式。"))
        data = dashboard_data(request)
        base_url = request.build_absolute_uri("/").rstrip("/")
        if kind == "csv":
            content = exports.as_csv(data["rows"], base_url=base_url)
        else:
            title = _("%(year)s年度报告公开情况") % {"year": data["year"]}
            content = exports.as_xlsx(data["rows"], data["totals"], title=title, base_url=base_url)
        response = HttpResponse(content, content_type=EXPORT_TYPES[kind])
        response["Content-Disposition"] = f'attachment; filename="duty-{data["year"]}.{kind}"'
        return response
