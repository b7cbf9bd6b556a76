import simple_history
from modeltranslation.translator import TranslationOptions, translator

from kense.registry.models import (
    Appointment,
    Organization,
    OrganizationParentPeriod,
    Person,
    Position,
    StaffPost,
    Territory,
    TerritoryParentPeriod,
)

# Translation fields first, history second: the historical models then carry name_kk, name_ru…
translator.register(Territory, TranslationOptions, fields=("name",))
translator.register(Organization, TranslationOptions, fields=("name", "short_name"))
translator.register(
    Person, TranslationOptions, fields=("surname", "given_name", "patronymic", "academic_degree")
)
translator.register(Position, TranslationOptions, fields=("name",))
translator.register(StaffPost, TranslationOptions, fields=("title",))
translator.register(Appointment, TranslationOptions, fields=("title",))

# Every registry model is audited; paths and search text are derived, so not history.
DERIVED = ["path", "depth", "search_text"]
simple_history.register(Territory, excluded_fields=DERIVED)
simple_history.register(Organization, excluded_fields=DERIVED)
simple_history.register(Person, excluded_fields=["search_text"])
for model in (
    Position,
    StaffPost,
    Appointment,
    TerritoryParentPeriod,
    OrganizationParentPeriod,
):
    simple_history.register(model)
