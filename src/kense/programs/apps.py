from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "kense.programs"
    label = "programs"
    verbose_name = _("Programs")

    def ready(self) -> None:
        from kense.core.menu import PROGRAM, MenuItem, register_menu_item

        # The menu's entries of this app (kense.core.menu).
        register_menu_item(MenuItem("programs:program_list", _("Programs"), PROGRAM, 10))
        register_menu_item(MenuItem("programs:project_list", _("Projects"), PROGRAM, 20))
