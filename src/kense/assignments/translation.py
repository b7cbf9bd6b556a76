import simple_history
from modeltranslation.translator import TranslationOptions, translator

from kense.assignments.models import Assignment, ExecutionReport, Extension

translator.register(Assignment, TranslationOptions, fields=("text",))

simple_history.register(Assignment, m2m_fields=["co_executors"], excluded_fields=["search_text"])
for model in (ExecutionReport, Extension):
    simple_history.register(model)
