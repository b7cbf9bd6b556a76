import simple_history
from modeltranslation.translator import TranslationOptions, translator

from kense.documents.models import Document

# Translation fields first, history second: the historical documents then carry title_kk…
translator.register(Document, TranslationOptions, fields=("title", "description"))
simple_history.register(Document, excluded_fields=["search_text"])
