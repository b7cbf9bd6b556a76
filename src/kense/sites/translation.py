import simple_history
from modeltranslation.translator import TranslationOptions, translator

from kense.sites.models import LINKS, Site

# Translation fields first, history second: the historical model then carries name_kk, name_ru…
translator.register(Site, TranslationOptions, fields=("name", "description"))
# The links are history too; the search text is derived, so not history.
simple_history.register(Site, m2m_fields=LINKS, excluded_fields=["search_text"])
