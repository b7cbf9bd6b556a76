from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "kense.assignments"
    label = "assignments"
    verbose_name = _("Assignments")

    def ready(self) -> None:
        from kense.core.menu import WORK, MenuItem, register_menu_item

        # The menu's entries of this app (kense.core.menu).
        register_menu_item(MenuItem("assignments:inbox", _("Assignments"), WORK, 10))

        from kense.assignments.tasks import register_daily_steps

        register_daily_steps()
