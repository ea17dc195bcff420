"""Back-office screens. Each concern lives in its own module; ``report.py`` composes them."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from reports.admin import (  # noqa: F401  (registers the model admins)
    corrections,
    notifications,
    organization,
    reminders,
    report,
    search,
    tags,
    users,
    wordlists,
)

admin.site.site_header = _("法治政府建设报告管理后台")
admin.site.site_title = _("报告管理后台")
admin.site.index_title = _("工作台")
