from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("法治政府建设报告")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from reports.third_party_names import name_third_party_models

        name_third_party_models()
