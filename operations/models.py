import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DatabaseRestore(models.Model):
    """One restore of this database from a backup archive (``manage.py restore_portal``).

    Each restore gives the database a new identity (``token``), which is part of every
    shared cache key (``operations.release``): ids that come back after a restore can never
    meet pages cached for the database as it was before.
    """

    token = models.UUIDField(_("标识"), default=uuid.uuid4, unique=True, editable=False)
    restored_at = models.DateTimeField(_("恢复时间"), default=timezone.now)
    archive = models.CharField(_("备份文件"), max_length=255)
    backed_up_at = models.DateTimeField(_("备份时间"))

    class Meta:
        ordering = ["-restored_at", "-pk"]
        verbose_name = _("数据库恢复记录")
        verbose_name_plural = _("数据库恢复记录")

    def __str__(self):
        return f"{self.archive} ({self.restored_at:%Y-%m-%d %H:%M})"
