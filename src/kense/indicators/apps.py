from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "kense.indicators"
    label = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from kense.core.menu import EVERY_ROLE, PROGRAM, WORK, MenuItem, register_menu_item
        from kense.core.permissions import Role

        # The menu's entries of this app (kense.core.menu). An institution reports no
        # territory's indicators.
        register_menu_item(
            MenuItem(
                "indicators:report_list",
                _("Reports"),
                WORK,
                60,
                roles=EVERY_ROLE - {Role.INSTITUTION},
            )
        )
        register_menu_item(MenuItem("indicators:indicator_list", _("Indicators"), PROGRAM, 30))
        register_menu_item(MenuItem("indicators:ranking", _("Results and ranking"), PROGRAM, 40))

        from kense.indicators.signals import connect_signals

        # Computed values follow their data: saving an event, an assignment or a project
        # queues a refresh of its year for the worker.
        connect_signals()

        from kense.indicators.selectors.results import ACTIVITY

        # The passport's yearly counts are kept until an event, a plan or an assignment changes.
        ACTIVITY.connect()
