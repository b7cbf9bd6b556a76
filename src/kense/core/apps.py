from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_save
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kense.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from kense.core.models import refuse_control_characters
        from kense.core.search_index import ensure_indexes
        from kense.text.kazakh import install_sqlite_collation

        # Every SQLite connection learns the Kazakh collation, so ORDER BY ... COLLATE kk
        # means the same on SQLite as on PostgreSQL (where a migration creates it).
        connection_created.connect(install_sqlite_collation, dispatch_uid="kense-kk-collation")
        # No text with control characters is saved, whichever way it comes in.
        pre_save.connect(refuse_control_characters, dispatch_uid="kense-control-characters")
        # On SQLite the search box reads an FTS5 index of each searched table, made and
        # mended after every migrate (kense.core.search_index).
        post_migrate.connect(ensure_indexes, sender=self, dispatch_uid="kense-search-index")
