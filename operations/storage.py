"""Uploaded files kept whole or not at all, and never without a row that refers to them.

- A write that fails half-way (disk full, read-only or failing storage) leaves no partial
  file behind, and raises ``StorageUnavailable``; ``UploadSafetyMiddleware`` turns that
  into a clear message in the admin instead of a 500. The admin saved everything in one
  transaction, which the error rolled back, so no row without its file remains.
- A file written while a request's transaction was later rolled back (another error, a
  concurrent edit refused) would be left with no row: at the end of each request the
  middleware deletes every file written during it that no row refers to.
"""

import logging
from contextvars import ContextVar
from pathlib import Path

from django.apps import apps
from django.contrib import messages
from django.core.files.storage import FileSystemStorage
from django.db import DatabaseError, models
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Names of the files written during the current request (None outside requests).
_written: ContextVar[list[str] | None] = ContextVar("operations_files_written", default=None)


class StorageUnavailable(OSError):
    """The upload storage could not take a file: full, read-only or failing."""


class UploadStorage(FileSystemStorage):
    def _save(self, name, content):
        try:
            name = super()._save(name, content)
        except OSError as error:
            # get_available_name chose a name nothing had: whatever is there now is our partial file.
            Path(self.path(name)).unlink(missing_ok=True)
            raise StorageUnavailable(error.errno, error.strerror, name) from error
        written = _written.get()
        if written is not None:
            written.append(name)
        return name


class UploadSafetyMiddleware:
    """After ``MessageMiddleware``: storage failures become an admin message; files without rows are removed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _written.set([])
        try:
            return self.get_response(request)
        finally:
            written = _written.get()
            _written.reset(token)
            if written:
                _discard_unreferenced(written)

    def process_exception(self, request, exception):
        if not isinstance(exception, StorageUnavailable):
            return None
        logger.error("Upload storage unavailable: %s", exception)
        messages.error(
            request,
            _("附件未能保存：服务器存储空间已满或不可写入，本次修改均未保存。请联系系统管理员处理后重试。"),
        )
        return HttpResponseRedirect(request.get_full_path())


def _discard_unreferenced(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        try:
            referenced = _is_referenced(name)
        except DatabaseError:
            logger.warning("Could not tell whether %s is referenced; it is kept", name)
            continue
        if not referenced:
            default_storage.delete(name)
            logger.info("Removed %s: the change that uploaded it was not saved", name)


def _is_referenced(name: str) -> bool:
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and model._default_manager.filter(**{field.name: name}).exists():
                return True
    return False
