import simple_history
from modeltranslation.translator import TranslationOptions, translator

from kense.programs.models import Direction, Program, Project

# Translation fields first, history second: the historical models then carry name_kk, name_ru…
for model in (Program, Direction, Project):
    translator.register(model, TranslationOptions, fields=("name", "description"))
    simple_history.register(model, m2m_fields=["co_executors"], excluded_fields=["search_text"])
