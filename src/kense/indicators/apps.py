from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "kense.indicators"
    label = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from kense.indicators.signals import connect_signals

        # Computed values follow their data: saving an event, an assignment or a project
        # queues a refresh of its year for the worker.
        connect_signals()
