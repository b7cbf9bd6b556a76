import simple_history
from modeltranslation.translator import TranslationOptions, translator

from kense.documents.models import Distribution, Document

# Translation fields first, history second: the historical documents then carry title_kk…
translator.register(Document, TranslationOptions, fields=("title", "description"))
simple_history.register(Document, excluded_fields=["search_text"])
# A distribution's dates matter (what was sent when, imported ones too): its history says who
# recorded it, and why ("Imported").
simple_history.register(Distribution)
