from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kense.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from kense.text.kazakh import install_sqlite_collation

        # Every SQLite connection learns the Kazakh collation, so ORDER BY ... COLLATE kk
        # means the same on SQLite as on PostgreSQL (where a migration creates it).
        connection_created.connect(install_sqlite_collation, dispatch_uid="kense-kk-collation")
