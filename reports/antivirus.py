"""The optional virus scan of uploads by a ClamAV daemon (clamd), through clamav-client.

Off unless ``CLAMD_URL`` names the daemon: ``tcp://host:3310`` or ``unix:///run/clamav/clamd.ctl``.
When it is set every accepted upload is streamed to the daemon (its INSTREAM command)
before it is stored, and a file is refused when the daemon finds something or cannot
be asked: a configured scan that did not happen must not look like a clean result.
"""

import io
import logging
from urllib.parse import urlsplit

from clamav_client.clamd import ClamdError, ClamdNetworkSocket, ClamdUnixSocket
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def scanner():
    """A client for the daemon ``CLAMD_URL`` names (checked by ``portal.config.clamd_url``), or None."""
    if not settings.CLAMD_URL:
        return None
    parts = urlsplit(settings.CLAMD_URL)
    if parts.scheme == "unix":
        return ClamdUnixSocket(path=parts.path, timeout=settings.CLAMD_TIMEOUT)
    return ClamdNetworkSocket(host=parts.hostname, port=parts.port, timeout=settings.CLAMD_TIMEOUT)


def scan(content: bytes) -> None:
    """Raise ValidationError when the daemon finds malware in ``content`` or cannot scan it."""
    client = scanner()
    if client is None:
        return
    try:
        result = client.instream(io.BytesIO(content))
    except (ClamdError, OSError) as error:
        logger.error("Virus scan by %s failed: %s", settings.CLAMD_URL, error)
        raise ValidationError(_("暂时无法完成病毒扫描，文件未保存。请稍后再上传。"), code="scan_failed") from None
    status, signature = result.get("stream", ("ERROR", "no answer"))
    if status == "FOUND":
        logger.warning("Virus scan refused an upload: %s", signature)
        raise ValidationError(
            _("病毒扫描发现文件中含有恶意代码（%(name)s），不能上传。") % {"name": signature}, code="malware"
        )
    if status != "OK":
        logger.error("Virus scan by %s answered %s %s", settings.CLAMD_URL, status, signature)
        raise ValidationError(_("暂时无法完成病毒扫描，文件未保存。请稍后再上传。"), code="scan_failed")
