from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "kense.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from kense.core.daily import register_daily_step
        from kense.core.worker import register_upkeep_step
        from kense.notifications.digest import send_digests
        from kense.notifications.telegram import upkeep

        register_daily_step("notification_digests", send_digests, order=60)
        register_upkeep_step("telegram", upkeep)
