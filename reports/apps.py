from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("法治政府建设报告")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from reports.third_party_names import name_third_party_models

        name_third_party_models()
        post_migrate.connect(index_published_revisions, sender=self)


def index_published_revisions(sender, using, apps=global_apps, **kwargs):
    """After ``migrate``: index published revisions a database holds from before the search index.

    Publishing indexes a revision; this catches up a database published into before the index
    existed (and does nothing once it has). Skipped when migrating back past the index.
    ``flush`` sends the signal too, without ``apps``: the installed models are then the ones.
    """
    try:
        apps.get_model("reports", "SearchText")
    except LookupError:
        return
    from reports.search.indexing import index_missing

    if using == DEFAULT_DB_ALIAS:
        index_missing()
