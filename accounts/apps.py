from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Who may sign in to the back office, and the record of every sign-in and permission change."""

    name = "accounts"
    verbose_name = _("账号与安全")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts import audit, checks  # noqa: F401  (connects the audit receivers, registers the checks)
