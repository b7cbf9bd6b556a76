from typing import Any

import simple_history
from modeltranslation.translator import TranslationOptions, translator
from simple_history.models import HistoricalRecords

from kense.events.models import Emergency, Event, PlanItem, WorkPlan


class EmergencyHistory(HistoricalRecords):
    """The history of emergencies in the tables it had when the model was called Disruption.
    simple-history names the history of a many-to-many field after its through model and has no
    option for that table's name, hence this."""

    def get_meta_options_m2m(self, through_model: Any) -> dict[str, Any]:
        options: dict[str, Any] = super().get_meta_options_m2m(through_model)
        options["db_table"] = "events_historicaldisruption_territories"
        return options


translator.register(Event, TranslationOptions, fields=("title",))
translator.register(Emergency, TranslationOptions, fields=("title",))
translator.register(WorkPlan, TranslationOptions, fields=("title",))
translator.register(PlanItem, TranslationOptions, fields=("title",))

simple_history.register(Event, m2m_fields=["co_organizers"], excluded_fields=["search_text"])
simple_history.register(
    Emergency,
    m2m_fields=["territories"],
    table_name="events_historicaldisruption",
    records_class=EmergencyHistory,
)
simple_history.register(WorkPlan)
simple_history.register(PlanItem)
