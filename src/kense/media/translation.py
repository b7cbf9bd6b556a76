import simple_history

from kense.media.models import Publication

# Publications are written in one language (their `language`): nothing to translate, only the
# history to keep, links included.
simple_history.register(
    Publication, m2m_fields=["projects", "events", "meetings", "territories", "people"]
)
