from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "kense.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from kense.core.menu import WORK, MenuItem, register_menu_item

        # The menu's entries of this app (kense.core.menu).
        register_menu_item(MenuItem("events:event_list", _("Events"), WORK, 30))
        register_menu_item(MenuItem("events:plan_list", _("Work plans"), WORK, 40))
        register_menu_item(
            MenuItem("events:emergency_list", _("Emergencies and restrictions"), WORK, 50)
        )
