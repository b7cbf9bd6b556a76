from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "kense.ideas"
    label = "ideas"
    verbose_name = _("Ideas")

    def ready(self) -> None:
        from kense.core.daily import register_daily_step
        from kense.core.menu import PROGRAM, MenuItem, register_menu_item
        from kense.ideas.public import residents_purge

        # The menu's entries of this app (kense.core.menu).
        register_menu_item(MenuItem("ideas:idea_list", _("Ideas"), PROGRAM, 60))
        register_daily_step("residents_purge", residents_purge, order=70)
