from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "kense.media"
    label = "media"
    verbose_name = _("Media")

    def ready(self) -> None:
        from kense.core.menu import PROGRAM, MenuItem, register_menu_item

        # The menu's entries of this app (kense.core.menu).
        register_menu_item(MenuItem("media:publication_list", _("Media"), PROGRAM, 70))
