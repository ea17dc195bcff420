"""Attachment downloads: only files of a report's public revision, never the working copy's."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from reports.downloads import attachment_response
from reports.models import Attachment, Report, Revision


@require_safe
def download(request, pk: int):
    attachment = get_object_or_404(Attachment, pk=pk)
    revision_id = (
        Report.objects.published().filter(pk=attachment.report_id).values_list("public_revision_id", flat=True).first()
    )
    if revision_id is None:
        raise Http404
    content = Revision.objects.values_list("content", flat=True).get(pk=revision_id)
    published = next((entry for entry in content.get("attachments", []) if entry.get("id") == attachment.pk), None)
    # A file replaced in the working copy since publication is unreviewed: not for the public.
    if published is None or published.get("sha256") != attachment.sha256:
        raise Http404
    return attachment_response(attachment, published.get("name", ""))
