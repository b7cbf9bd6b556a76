from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "kense.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from kense.core.menu import WORK, MenuItem, register_menu_item

        # The menu's entries of this app (kense.core.menu).
        register_menu_item(MenuItem("meetings:meeting_list", _("Meetings"), WORK, 20))
