"""The report list: its 发布机构 filter, a search that reads the reports' text, and a page read in fixed queries.

Each page of the list costs the same number of queries however many reports it shows:
the sections behind 缺少的必备部分 are prefetched for the page's rows at once, and the
revision numbers behind the public-version column are subqueries of the list's own query.
"""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.models import Item, Organization, Report, Section
from reports.roles import clerk_organizations, reviewed_organizations


class ReportChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        # Only the page's rows are read, so this is one query for the page.
        return queryset.prefetch_related(Prefetch("sections", queryset=Section.objects.only("pk", "report", "kind")))


class OrganizationFilter(admin.SimpleListFilter):
    """发布机构: the units whose reports the user works on or may read, shown even when there is one."""

    title = gettext_lazy("发布机构")
    parameter_name = "organization"

    def lookups(self, request, model_admin):
        user = request.user
        visible = model_admin.get_queryset(request).values("organization")
        own = Q(pk__in=clerk_organizations(user).values("pk")) | Q(pk__in=reviewed_organizations(user).values("pk"))
        organizations = Organization.objects.filter(own | Q(pk__in=visible))
        return [(str(organization.pk), organization.name) for organization in organizations]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(organization=int(value))


def text_search(terms: list[str]) -> Q:
    """Reports whose title, index number, preamble, headings or text contain every term.

    The sections and items are matched with EXISTS subqueries, so a report matching in
    many items still appears once and the list needs no DISTINCT.
    """
    condition = Q()
    for term in terms:
        in_sections = Section.objects.filter(report=OuterRef("pk")).filter(
            Q(heading__icontains=term) | Q(intro__icontains=term)
        )
        in_items = Item.objects.filter(section__report=OuterRef("pk")).filter(
            Q(heading__icontains=term) | Q(body__icontains=term)
        )
        condition &= (
            Q(title__icontains=term)
            | Q(index_number__icontains=term)
            | Q(preamble__icontains=term)
            | Exists(in_sections)
            | Exists(in_items)
        )
    return condition


def search_terms(search_term: str) -> list[str]:
    """The words of the search box, quoted phrases kept whole (as Django's admin reads them)."""
    terms = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit.strip():
            terms.append(bit)
    return terms


class ReportListAdminMixin:
    """The report list's filters, search and page queries."""

    search_fields = ["title", "index_number", "preamble"]
    search_help_text = gettext_lazy("按标题、索引号或正文中的文字查找，多个词用空格分开。")

    def get_changelist(self, request, **kwargs):
        return ReportChangeList

    def get_search_results(self, request, queryset, search_term):
        terms = search_terms(search_term)
        if not terms:
            return queryset, False
        return queryset.filter(text_search(terms)), False

    @admin.display(description=gettext_lazy("缺少的必备部分"))
    def missing_parts(self, report: Report):
        missing = report.missing_section_kinds()
        if not missing:
            return _("无")
        return "、".join(str(kind.label) for kind in missing)
