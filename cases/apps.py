from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("EPSA cases")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.backends.signals import connection_created

        from cases import checks  # noqa: F401  (registers the deployment checks)
        from cases.domain import signals  # noqa: F401  (keeps derived data current)
        from cases.domain.search import register_sqlite_functions

        connection_created.connect(
            register_sqlite_functions, dispatch_uid="cases.register_sqlite_functions"
        )
