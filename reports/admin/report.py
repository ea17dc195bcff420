"""The report change page: the working copy with its sections, items and attachments.

One page edits everything, with inlines nested one level (django-nested-admin):
sections, their items, and each item's sub-items; attachments beside them. Numbers
(一、 （一） 1.) are never typed: a column shows each row's number and the outline shows
the whole report numbered as readers will see it, both from ``reports.numbering``.

The admin never assigns a state. A new report is created by ``services.create_report``,
which saves it, lets the form's inlines save its content, and records the whole as
revision 1; a change is recorded by ``record_edit``, which also enforces the version the
page was loaded with, so the second of two concurrent saves is refused.
"""

import nested_admin
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import services
from reports.admin.attachments import StaffAttachmentInlineMixin, StaffAttachmentsAdminMixin
from reports.admin.bulk import BulkWorkflowAdminMixin
from reports.admin.changelist import OrganizationFilter, ReportListAdminMixin
from reports.admin.checking import CheckingAdminMixin
from reports.admin.error_summary import ErrorSummaryAdminMixin
from reports.admin.exports import ExportAdminMixin
from reports.admin.followthrough import PlanReviewAdminMixin
from reports.admin.forms import (
    AttachmentFormSet,
    ItemFormSet,
    ReportForm,
    SectionFormSet,
    SubItemFormSet,
    draftable_organizations,
)
from reports.admin.history import HistoryAdminMixin
from reports.admin.importing import ImportAdminMixin
from reports.admin.official import OfficialDocumentAdminMixin
from reports.admin.outline import ItemNumbers, SectionNumbers, SubItemNumbers
from reports.admin.rich_text import RichTextFieldsMixin, RichTextMedia
from reports.admin.versions import edit_notice
from reports.admin.visibility import VisibilityAdminMixin
from reports.admin.workbench import QueueFilter
from reports.admin.workflow import WorkflowAdminMixin
from reports.models import Attachment, Item, Report, Section
from reports.numbering import item_number, section_number, subitem_number
from reports.roles import is_auditor
from reports.uploads import AttachmentForm


def _reports_of(obj):
    """(cache key, reports) for the saved report an inline's parent object belongs to, or None."""
    if isinstance(obj, Report) and obj.pk:
        return ("report", obj.pk), Report.objects.filter(pk=obj.pk)
    if isinstance(obj, Section) and obj.report_id:
        return ("report", obj.report_id), Report.objects.filter(pk=obj.report_id)
    if isinstance(obj, Item) and obj.section_id:
        return ("section", obj.section_id), Report.objects.filter(sections=obj.section_id)
    return None


def _may_edit(request, obj) -> bool:
    """``services.can_edit`` for the report ``obj`` belongs to; True for content not saved yet."""
    found = _reports_of(obj)
    if found is None:
        return True
    key, reports = found
    # Asked for every nested form and every permission; the answer is one per report and request.
    answers = request.__dict__.setdefault("_report_may_edit", {})
    if key not in answers:
        answers[key] = services.can_edit(request.user, reports.select_related("organization").get())
    return answers[key]


class ReportContentInlineMixin:
    """Sections, items and attachments may be changed exactly when their report may be."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and _may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _may_edit(request, obj)


class SubItemInline(SubItemNumbers, RichTextFieldsMixin, ReportContentInlineMixin, nested_admin.NestedStackedInline):
    model = Item
    fk_name = "parent"
    formset = SubItemFormSet
    fields = ["number", "heading", "body", "order"]
    readonly_fields = ["number"]
    sortable_field_name = "order"
    extra = 0
    verbose_name = gettext_lazy("下级条目")
    verbose_name_plural = gettext_lazy("下级条目（1. 2. …）")


class ItemInline(ItemNumbers, RichTextFieldsMixin, ReportContentInlineMixin, nested_admin.NestedStackedInline):
    model = Item
    fk_name = "section"
    formset = ItemFormSet
    fields = ["number", "heading", "body", "order"]
    readonly_fields = ["number"]
    sortable_field_name = "order"
    inlines = [SubItemInline]
    extra = 0
    verbose_name_plural = gettext_lazy("条目（（一）（二）…）")

    def get_queryset(self, request):
        # Sub-items are edited under their item, not beside it.
        return super().get_queryset(request).filter(parent=None)


class SectionInline(SectionNumbers, RichTextFieldsMixin, ReportContentInlineMixin, nested_admin.NestedStackedInline):
    model = Section
    formset = SectionFormSet
    fields = ["number", "kind", "heading", "intro", "order"]
    readonly_fields = ["number"]
    sortable_field_name = "order"
    inlines = [ItemInline]
    extra = 0
    verbose_name_plural = gettext_lazy("部分（一、二、…）")


class AttachmentInline(StaffAttachmentInlineMixin, ReportContentInlineMixin, nested_admin.NestedTabularInline):
    model = Attachment
    form = AttachmentForm
    formset = AttachmentFormSet
    fields = ["file", "display_name", "size", "content_type", "order"]
    readonly_fields = ["size", "content_type"]
    sortable_field_name = "order"
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).attached()


@admin.register(Report)
class ReportAdmin(
    RichTextMedia,
    RichTextFieldsMixin,
    ErrorSummaryAdminMixin,
    CheckingAdminMixin,
    WorkflowAdminMixin,
    ReportListAdminMixin,
    ExportAdminMixin,
    BulkWorkflowAdminMixin,
    StaffAttachmentsAdminMixin,
    VisibilityAdminMixin,
    ImportAdminMixin,
    HistoryAdminMixin,
    OfficialDocumentAdminMixin,
    PlanReviewAdminMixin,
    nested_admin.NestedModelAdmin,
):
    form = ReportForm
    inlines = [SectionInline, AttachmentInline]
    list_display = [
        "__str__",
        "organization",
        "year",
        "public_version",
        "state_badge",
        "next_step",
        "missing_parts",
        "updated_at",
    ]
    list_filter = [QueueFilter, "state", OrganizationFilter, "year"]
    list_select_related = ["organization"]
    actions = ["export_xlsx", "export_csv", "bulk_submit", "bulk_publish"]
    readonly_fields = ["index_number", "state", "outline", "missing_parts"]
    fieldsets = [
        (None, {"fields": ["organization", "year", "title", "preamble"]}),
        (
            gettext_lazy("落款与公开信息"),
            {"fields": ["signatories", "signing_date", "source", "disclosure_mode", "topic_category", "tags"]},
        ),
        (
            gettext_lazy("编号与状态"),
            {"fields": ["index_number", "state", "missing_parts", "outline", "change_comment", "expected_version"]},
        ),
    ]

    class Media:
        css = {"all": ["css/admin-report.css"]}
        js = ["js/admin-report-outline.js"]

    # --- Who sees and changes what ----------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=Report.objects.visible_to(request.user).values("pk"))

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not is_auditor(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A report with history is evidence; withdrawing takes it off the site instead.
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "organization_name"] if obj is not None else fields

    def get_fieldsets(self, request, obj=None):
        if obj is not None:
            # A saved report's unit is fixed; shown as its name, since a read-only foreign key
            # would link the unit's page, which clerks may not open.
            # Who may not change the report has no comment to give and no version to hold.
            form_only = set() if self.has_change_permission(request, obj) else {"change_comment", "expected_version"}
            renamed = {"organization": "organization_name"}
            return [
                (
                    title,
                    {
                        **options,
                        "fields": [renamed.get(name, name) for name in options["fields"] if name not in form_only],
                    },
                )
                for title, options in self.fieldsets
            ]
        # A new report has no number, state, outline or version yet.
        return [(None, {"fields": ["organization", "year", "title", "preamble"]}), self.fieldsets[1]]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization":
            kwargs["queryset"] = draftable_organizations(request.user)
            kwargs["empty_label"] = _("（请选择单位）")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        """A clerk of one unit starts with that unit; the year is the one just ended, which reports are due for."""
        initial = {"year": timezone.localdate().year - 1, **super().get_changeform_initial_data(request)}
        units = list(draftable_organizations(request.user).values_list("pk", flat=True)[:2])
        if len(units) == 1:
            initial.setdefault("organization", units[0])
        return initial

    # --- Computed columns --------------------------------------------------------------------

    @admin.display(description=gettext_lazy("发布机构"))
    def organization_name(self, report):
        return report.organization.name

    @admin.display(description=gettext_lazy("提纲预览"))
    def outline(self, report):
        """Every heading numbered as the public page will number it."""
        lines = []
        for s_index, section in enumerate(report.sections.prefetch_related("items"), start=1):
            lines.append(("outline-section", section_number(s_index) + str(section)))
            items = list(section.items.all())
            top = [item for item in items if item.parent_id is None]
            for i_index, item in enumerate(top, start=1):
                lines.append(("outline-item", item_number(i_index) + item.heading))
                children = [child for child in items if child.parent_id == item.pk]
                for c_index, child in enumerate(children, start=1):
                    lines.append(("outline-subitem", subitem_number(c_index) + child.heading))
        if not lines:
            return _("还没有任何部分。")
        return format_html('<div class="report-outline">{}</div>', format_html_join("", '<p class="{}">{}</p>', lines))

    # --- Saving through the services ---------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.WorkflowError as error:
            # Raised inside the admin's transaction, so nothing of this save was kept.
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        if not change:
            return  # saved by services.create_report in save_related, with its content
        # Lock first: a concurrent save waits here, then finds the version moved on.
        services.lock_for_edit(report=obj, user=request.user, expected_version=form.cleaned_data["expected_version"])
        # Only the form's fields: counters such as view_count move on their own.
        fields = [name for name in form.fields if name in {f.name for f in Report._meta.concrete_fields}]
        obj.save(update_fields=[*fields, "updated_at"])

    def save_related(self, request, form, formsets, change):
        if not change:
            services.create_report(
                report=form.instance,
                user=request.user,
                write_content=lambda report: super(ReportAdmin, self).save_related(request, form, formsets, change),
            )
            return
        super().save_related(request, form, formsets, change)
        services.record_edit(
            report=form.instance,
            user=request.user,
            comment=form.cleaned_data.get("change_comment", ""),
            expected_version=form.cleaned_data["expected_version"],
        )
        notice = edit_notice(form.instance)
        if notice:
            self.message_user(request, notice, messages.WARNING)
