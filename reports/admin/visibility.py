"""What staff may learn about reports they cannot see: nothing.

``ReportAdmin.get_queryset`` limits every admin page to ``Report.objects.visible_to``. Django
answers an id outside that queryset with a redirect and a "may have been deleted" notice;
these pieces answer 404 instead, exactly as for an id that never existed, and close the
admin's "view on site" shortcut, which would otherwise redirect to any report's public
address by id and so reveal its unit and year, or tell which attachment ids exist.
"""

from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.utils.translation import gettext as _

from reports.models import Attachment, Report


def visible_report_or_404(model_admin, request, object_id):
    """The report ``object_id`` names, from the admin's own queryset, or 404."""
    try:
        pk = int(unquote(object_id))
    except ValueError:
        raise Http404(_("没有找到这份报告。")) from None
    report = model_admin.get_queryset(request).select_related("organization").filter(pk=pk).first()
    if report is None:
        raise Http404(_("没有找到这份报告。"))
    return report


class VisibilityAdminMixin:
    """Report pages answer 404 for reports the user may not see, as for ones that do not exist."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        visible_report_or_404(self, request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def view_on_site(self, report):
        # Only a report the public can read has a page worth linking; drafts have 预览.
        if Report.objects.published().filter(pk=report.pk).exists():
            return report.get_absolute_url()
        return None


def view_on_site(request, content_type_id: int, object_id: str):
    """The admin's "view on site" redirect, mounted in portal/urls.py.

    For a report, or an attachment of one, the user may not see, the answer is the 404
    an absent id gets, so the redirect tells nobody which ids exist.
    """
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type is not None else None
    if model in (Report, Attachment):
        try:
            pk = int(object_id)
        except ValueError:
            raise Http404(_("没有找到这份报告。")) from None
        lookup = {"pk": pk} if model is Report else {"attachments": pk}
        if not Report.objects.visible_to(request.user).filter(**lookup).exists():
            raise Http404(_("没有找到这份报告。"))
    return shortcut(request, content_type_id, object_id)
