import simple_history

from kense.media.models import LINKS, Publication

# Publications are written in one language (their `language`): nothing to translate, only the
# history to keep, links included. The search text is derived, so not history.
simple_history.register(Publication, m2m_fields=LINKS, excluded_fields=["search_text"])
