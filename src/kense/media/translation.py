import simple_history

from kense.media.models import LINKS, LinkChoice, Publication

# Publications are written in one language (their `language`): nothing to translate, only the
# history to keep, links included. The search text is derived, so not history.
simple_history.register(Publication, m2m_fields=LINKS, excluded_fields=["search_text"])
# The office's choices steer the matcher for a territory's next texts: who chose what, kept.
simple_history.register(LinkChoice)
