from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "kense.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from kense.core.menu import PROGRAM, MenuItem, register_menu_item

        # The menu's entries of this app (kense.core.menu).
        register_menu_item(MenuItem("documents:library", _("Documents"), PROGRAM, 50))

        from kense.core.daily import register_daily_step
        from kense.documents.reminders import send_reminders

        # Guidelines not yet acknowledged, after the assignments' steps (kense.core.daily).
        register_daily_step("document_reminders", send_reminders, order=50)
