import simple_history
from modeltranslation.translator import TranslationOptions, translator

from kense.meetings.models import (
    AgendaItem,
    Decision,
    InvitationGroup,
    Meeting,
    MeetingSeries,
    Participant,
)

# Translation fields first, history second: the historical models then carry every language.
translator.register(Meeting, TranslationOptions, fields=("title",))
translator.register(MeetingSeries, TranslationOptions, fields=("title",))
translator.register(InvitationGroup, TranslationOptions, fields=("name",))
translator.register(AgendaItem, TranslationOptions, fields=("title", "heard", "discussion"))
translator.register(Decision, TranslationOptions, fields=("text",))
translator.register(Participant, TranslationOptions, fields=("position_title",))

simple_history.register(
    Meeting, m2m_fields=["programs", "projects"], excluded_fields=["search_text"]
)
simple_history.register(AgendaItem, excluded_fields=["search_text"])
for model in (Decision, Participant, InvitationGroup):
    simple_history.register(model)
