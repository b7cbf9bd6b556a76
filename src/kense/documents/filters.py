"""The library's filters, declared once for the page, its Excel export and the API
(kense.core.filters)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kense.core.filters import ChoiceFilter, ListFilters, SearchFilter, TextFilter
from kense.documents.models import Document, DocumentKind, DocumentVersion, Language
from kense.text.kazakh import search_terms


def _by_author(documents: QuerySet[Document], words: str) -> QuerySet[Document]:
    """Every word begins a word of the author's names, a person's or an organization's."""
    for term in search_terms(words):
        documents = documents.filter(
            Q(author_person__search_text__contains=" " + term)
            | Q(author_organization__search_text__contains=" " + term)
        )
    return documents


def _in_language(documents: QuerySet[Document], language: str) -> QuerySet[Document]:
    """Documents with a version in the language."""
    versions = DocumentVersion.objects.filter(document=OuterRef("pk"), language=language)
    return documents.filter(Exists(versions))


class DocumentFilters(ListFilters):
    q = SearchFilter(
        label=_("Search"),
        description="Every word must begin a word of the title, the description or the "
        "files' text, in Kazakh or Russian.",
    )
    kind = ChoiceFilter(DocumentKind, label=_("Type"), lookup="kind")
    author = TextFilter(
        label=_("Author"),
        lookup=_by_author,
        description="Every word must begin a word of the author's names (a person or an "
        "organization).",
    )
    language = ChoiceFilter(
        Language,
        label=_("Language"),
        lookup=_in_language,
        description="Documents with a version in this language.",
    )
