"""Staff read a report's attachments before publication: the editor must read what they approve.

The public download serves only files of a report's public revision. Staff who may see a
report (``roles.can_view``) get its working copy's files here, in the admin's address
space: ``<report>/attachments/<attachment>/``. An attachment of another report, or of a
report the user may not see, answers 404 exactly as one that does not exist. Responses
are never cached by shared caches and never indexed. The change page's file links, its
"在站点上查看" links and the preview's 相关附件 point here.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminFileWidget
from django.http import Http404
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from reports.downloads import attachment_response
from reports.models import Attachment, Report
from reports.roles import can_view

URL_NAME = "reports_report_attachment"


def staff_attachment_url(attachment_or_entry, report_id: int | None = None) -> str:
    """The staff address of an attachment, or of a snapshot's attachment entry of report ``report_id``."""
    if isinstance(attachment_or_entry, Attachment):
        report_id, pk = attachment_or_entry.report_id, attachment_or_entry.pk
    else:
        pk = attachment_or_entry["id"]
    return reverse(f"admin:{URL_NAME}", args=[report_id, pk])


def current_file_urls(report: Report):
    """For rendering a snapshot: each attachment's staff address, or "" when the snapshot's file was replaced since."""
    current = dict(report.attachments.values_list("pk", "sha256"))

    def url(entry: dict) -> str:
        if current.get(entry.get("id")) != entry.get("sha256"):
            return ""
        return staff_attachment_url(entry, report.pk)

    return url


class StaffAttachmentWidget(AdminFileWidget):
    """The file input of an attachment, whose "目前" link opens the file for staff under its display name."""

    # In the app's templates/ folder: the form renderer looks in apps, not in the project's templates/.
    template_name = "admin/reports/widgets/attachment_file.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        attachment = getattr(value, "instance", None)
        if isinstance(attachment, Attachment) and attachment.pk:
            context["widget"]["staff_url"] = staff_attachment_url(attachment)
            context["widget"]["display_name"] = attachment.display_name or _("附件")
        return context


class StaffAttachmentInlineMixin:
    """The attachment inline: file links and "在站点上查看" go to the staff download."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "file":
            kwargs["widget"] = StaffAttachmentWidget
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if self.has_change_permission(request, obj):
            return fields
        # Read-only rows would link the stored file's address, which serves nothing.
        return ["file_link" if name == "file" else name for name in fields]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "file_link"]

    @admin.display(description=gettext_lazy("文件"))
    def file_link(self, attachment):
        if attachment.pk is None:
            return "—"
        return format_html('<a href="{}">{}</a>', staff_attachment_url(attachment), attachment.display_name)

    def view_on_site(self, attachment):
        return staff_attachment_url(attachment)


class StaffAttachmentsAdminMixin:
    """Adds ``<report>/attachments/<attachment>/`` to the report admin."""

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/attachments/<int:attachment_id>/",
                self.admin_site.admin_view(self.attachment_view),
                name=URL_NAME,
            ),
        ]
        # Before the defaults: their "<path:object_id>/" would swallow this address.
        return urls + super().get_urls()

    def attachment_view(self, request, object_id, attachment_id: int):
        return require_safe(self._attachment_response)(request, object_id, attachment_id)

    def _attachment_response(self, request, object_id, attachment_id: int):
        try:
            report_id = int(unquote(object_id))
        except ValueError:
            raise Http404 from None
        attachment = Attachment.objects.select_related("report").filter(pk=attachment_id, report=report_id).first()
        # The same answer for an attachment that does not exist, belongs to another report,
        # or belongs to a report this person may not see.
        if attachment is None or not can_view(request.user, attachment.report):
            raise Http404(_("没有找到这个附件。"))
        response = attachment_response(attachment, attachment.display_name, open_pdf_inline=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
        return response
