"""Serving a stored attachment: one response builder for the public download and the staff one.

The type comes from what ``reports.uploads`` detected in the content when the file was
accepted, never from its name; the download name is the cleaned display name with the
extension of that type. Who may have the file is the caller's decision.
"""

import logging
from pathlib import PurePath

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from reports.models import Attachment
from reports.uploads import JPEG, KINDS_BY_CONTENT_TYPE, PDF, FileKind

logger = logging.getLogger(__name__)


def download_name(name: str, kind: FileKind) -> str:
    """The display name, with the extension of the file's real type when it lacks one."""
    name = name or _("附件")
    suffixes = {kind.extension, ".jpeg"} if kind is JPEG else {kind.extension}
    return name if PurePath(name).suffix.lower() in suffixes else f"{name}{kind.extension}"


def attachment_response(attachment: Attachment, name: str, *, open_pdf_inline: bool = False) -> FileResponse:
    """The file of ``attachment`` under ``name``, or Http404 when its type is unknown or its file is gone.

    Images open in the browser and other documents download; ``open_pdf_inline`` lets
    staff read a PDF in the browser too.
    """
    kind = KINDS_BY_CONTENT_TYPE.get(attachment.content_type)
    if kind is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        logger.error(
            "Attachment %s of report %s is missing its file %s",
            attachment.pk,
            attachment.report_id,
            attachment.file.name,
        )
        raise Http404 from None
    inline = kind.inline or (open_pdf_inline and kind is PDF)
    response = FileResponse(
        handle, as_attachment=not inline, filename=download_name(name, kind), content_type=kind.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
