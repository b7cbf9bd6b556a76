from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "kense.geo"
    label = "geo"
    verbose_name = _("Places and maps")

    def ready(self) -> None:
        from kense.core.menu import REGISTRY, MenuItem, register_menu_item

        register_menu_item(MenuItem("geo:map", _("Map"), REGISTRY, 15))

        from kense.core.forms import register_save_note
        from kense.geo.services import located_warning

        register_save_note(located_warning)
