"""Official documents in the back office: a report's working copy, and a year's combined set for inspectors."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _

from reports.admin.visibility import visible_report_or_404
from reports.official.documents import CONTENT_TYPES, render, working_document
from reports.official.responses import document_response, fonts_required


class OfficialDocumentAdminMixin:
    """Adds ``<id>/official.<docx|pdf>`` to the report admin: the working copy as an official document."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        urls = [
            path(
                "<path:object_id>/official.<slug:kind>",
                self.admin_site.admin_view(self.official_document_view),
                name="{}_{}_official".format(*info),
            ),
        ]
        return urls + super().get_urls()

    @fonts_required
    def official_document_view(self, request, object_id, kind: str):
        report = visible_report_or_404(self, request, object_id)
        if kind not in CONTENT_TYPES:
            raise Http404(_("没有这种格式。"))
        document = working_document(report)
        return document_response(render(kind, [document], title=document.title), kind=kind, title=str(report))


def require_inspector(request) -> None:
    if not request.user.has_perm("reports.inspect_reports"):
        raise PermissionDenied
