import simple_history
from modeltranslation.translator import TranslationOptions, translator

from kense.events.models import Disruption, Event, PlanItem, WorkPlan

translator.register(Event, TranslationOptions, fields=("title",))
translator.register(Disruption, TranslationOptions, fields=("title",))
translator.register(WorkPlan, TranslationOptions, fields=("title",))
translator.register(PlanItem, TranslationOptions, fields=("title",))

simple_history.register(Event, m2m_fields=["co_organizers"], excluded_fields=["search_text"])
simple_history.register(Disruption, m2m_fields=["territories"])
simple_history.register(WorkPlan)
simple_history.register(PlanItem)
