from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    name = "kense.sites"
    label = "sites"
    verbose_name = _("Sacred sites")

    def ready(self) -> None:
        from kense.core.menu import PROGRAM, MenuItem, register_menu_item

        # The menu's entries of this app (kense.core.menu).
        register_menu_item(MenuItem("sites:site_list", _("Sacred sites"), PROGRAM, 75))
