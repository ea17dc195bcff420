"""Attachment downloads: only files of a report's public revision, never the working copy's."""

import logging
from pathlib import PurePath

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from reports.models import Attachment, Report, Revision
from reports.uploads import JPEG, KINDS_BY_CONTENT_TYPE, FileKind

logger = logging.getLogger(__name__)


def download_name(name: str, kind: FileKind) -> str:
    """The published display name, with the extension of the file's real type when it lacks one."""
    name = name or _("附件")
    suffixes = {kind.extension, ".jpeg"} if kind is JPEG else {kind.extension}
    return name if PurePath(name).suffix.lower() in suffixes else f"{name}{kind.extension}"


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
    kind = KINDS_BY_CONTENT_TYPE.get(attachment.content_type)
    if kind is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        logger.error(
            "Attachment %s of report %s is missing its file %s", pk, attachment.report_id, attachment.file.name
        )
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not kind.inline,
        filename=download_name(published.get("name", ""), kind),
        content_type=kind.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
