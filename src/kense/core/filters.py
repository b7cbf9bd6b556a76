"""A list's filters, declared once.

A `ListFilters` class names a list's filters, their labels, their order and how each narrows
the rows. The page shows it as its filter form, the Excel export of the page applies the same
values, and the API endpoint takes the same names as query parameters (their OpenAPI schema is
derived from the declaration), so a filter added to the class appears in all three:

    class EventFilters(ListFilters):
        q = SearchFilter(label=_("Title"))
        territory = ReferenceFilter(
            label=_("Territory"), choices=visible_territories, lookup=in_subtree("territory"),
            search="territories", description="Events in this territory or any inside it.",
        )
        status = ChoiceFilter(EventStatus, label=_("Status"), lookup="status")

    def event_list(user, filters=None):            # the selector: scope, then filters
        return EventFilters.narrow(Event.objects.restrict(user), filters)

    ListSpec(..., filters=EventFilters, rows=selectors.event_list)          # the page
    @filtered(EventFilters)                                                   # the API
    def list_events(request, filters: FilterValues) -> QuerySet[Event]: ...

Values are parsed by the form for the page and the API alike. A reference to an object the
user cannot see matches nothing (on the page the field also says the choice is not valid); any
other invalid value leaves its filter out and is shown as the field's error (the API's types
refuse such values with 422 before the form sees them).

A filter named by a Python keyword (a period's `from`) is declared with a trailing underscore
(`from_`), as PEP 8 says; the page and the API know it as `from`.
"""

from __future__ import annotations

import datetime
import enum
import inspect
import keyword
from collections.abc import Callable, Mapping
from functools import wraps
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.forms.forms import DeclarativeFieldsMetaclass
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from ninja.params import functions as params
from ninja.utils import contribute_operation_args
from pydantic import create_model

from kense.core.forms import DateInput, FastSelect, SearchSelect
from kense.core.selectors import search_filter

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from kense.core.permissions import Account

    # ModelChoiceField is generic to the stubs only: subscripted at run time, it fails.
    _ModelChoiceField = forms.ModelChoiceField[Any]
else:
    _ModelChoiceField = forms.ModelChoiceField

FilterValues = Mapping[str, Any]
Lookup = str | Callable[[QuerySet[Any], Any], QuerySet[Any]]
Q = TypeVar("Q", bound=QuerySet[Any])

EMPTY = ("", "—")


class _Nothing:
    """The value of a reference to an object the user may not see: it matches nothing."""

    def __repr__(self) -> str:
        return "NOTHING"


NOTHING = _Nothing()


class ListFilter:
    """What a filter field adds to a form field: how it narrows a queryset and how the API
    names its type. `lookup` is a field lookup (`"status"`, `"end__gte"`) or a function of the
    queryset and the value."""

    api_type: Any = str
    lookup: Lookup | None
    description: str
    # The value the list is narrowed by when none is given (the inbox shows open assignments
    # unless asked for all); None: the filter is left out.
    default: Any = None

    def setup(self, lookup: Lookup | None, description: str) -> None:
        self.lookup = lookup
        self.description = description

    def narrow(self, queryset: Q, value: Any) -> Q:
        if value is NOTHING:
            return queryset.none()
        if self.lookup is None:
            return queryset
        if callable(self.lookup):
            # A lookup narrows with filter(), which keeps the queryset's class.
            return cast(Q, self.lookup(queryset, value))
        return queryset.filter(**{self.lookup: value})

    def is_given(self, value: Any) -> bool:
        return value is not None and value != ""

    def value_for(self, value: Any, user: Account) -> Any:
        """The value the lookup receives, for the user who gave it."""
        return value

    def api_annotation(self) -> tuple[Any, Any]:
        """The query parameter's type and its default."""
        return self.api_type | None, None


class SearchFilter(forms.CharField, ListFilter):
    """The search box: every word must begin a word of the names (kense.core.selectors)."""

    def __init__(self, *, label: StrOrPromise, description: str = "") -> None:
        super().__init__(
            label=label,
            required=False,
            max_length=200,
            widget=forms.TextInput(attrs={"type": "search"}),
        )
        self.setup(
            lambda queryset, value: search_filter(queryset, value),
            description or "Every word must begin a word of the names, in Kazakh or Russian.",
        )

    def is_given(self, value: Any) -> bool:
        return bool(value and value.strip())

    def api_annotation(self) -> tuple[Any, Any]:
        return str, ""


class TextFilter(forms.CharField, ListFilter):
    """Words to look for by the filter's own `lookup` (an author's names), not the list's
    search box."""

    def __init__(
        self, *, label: StrOrPromise, lookup: Lookup | None = None, description: str = ""
    ) -> None:
        super().__init__(label=label, required=False, max_length=200)
        self.setup(lookup, description)

    def is_given(self, value: Any) -> bool:
        return bool(value and value.strip())

    def api_annotation(self) -> tuple[Any, Any]:
        return str, ""


class ChoiceFilter(forms.ChoiceField, ListFilter):
    """One of the choices; with a `default`, the select has no empty choice and the list is
    narrowed by the default until another is chosen."""

    def __init__(
        self,
        choices: type[models.TextChoices],
        *,
        label: StrOrPromise,
        lookup: Lookup | None = None,
        description: str = "",
        default: models.TextChoices | None = None,
    ) -> None:
        shown = choices.choices if default is not None else [EMPTY, *choices.choices]
        super().__init__(label=label, required=False, choices=shown, initial=default)
        self.api_type = choices
        self.default = default
        self.setup(lookup, description)

    def bound_data(self, data: Any, initial: Any) -> Any:
        # Filters given without this one still show the default it narrows by.
        if data in (None, "") and self.default is not None:
            return self.default
        return super().bound_data(data, initial)


class ReferenceFilter(_ModelChoiceField, ListFilter):
    """An object of the user's scope (its id in the API). `choices` gives the objects the user
    may choose from, in their order; with `search`, a long list becomes a search box over that
    source (kense.core.forms.SearchSelect)."""

    api_type = int

    def __init__(
        self,
        *,
        label: StrOrPromise,
        choices: Callable[[Account], QuerySet[Any]],
        lookup: Lookup | None = None,
        search: str | None = None,
        description: str = "",
    ) -> None:
        super().__init__(
            label=label,
            required=False,
            queryset=None,
            empty_label=EMPTY[1],
            widget=SearchSelect(search) if search else FastSelect(),
        )
        self.choices_for = choices
        self.setup(lookup, description)


class DateFilter(forms.DateField, ListFilter):
    api_type = datetime.date

    def __init__(
        self, *, label: StrOrPromise, lookup: Lookup | None = None, description: str = ""
    ) -> None:
        super().__init__(label=label, required=False, widget=DateInput())
        self.setup(lookup, description)


class NumberFilter(forms.IntegerField, ListFilter):
    api_type = int

    def __init__(
        self,
        *,
        label: StrOrPromise,
        lookup: Lookup | None = None,
        description: str = "",
        min_value: int | None = None,
        max_value: int | None = None,
    ) -> None:
        super().__init__(label=label, required=False, min_value=min_value, max_value=max_value)
        self.setup(lookup, description)


class YesNoFilter(forms.NullBooleanField, ListFilter):
    """Yes, no, or either."""

    api_type = bool

    def __init__(
        self, *, label: StrOrPromise, lookup: Lookup | None = None, description: str = ""
    ) -> None:
        super().__init__(
            label=label,
            required=False,
            widget=forms.Select(choices=[EMPTY, ("true", _("Yes")), ("false", _("No"))]),
        )
        self.setup(lookup, description)


class CheckFilter(forms.BooleanField, ListFilter):
    """A box to tick: narrows when ticked, does nothing otherwise."""

    api_type = bool

    def __init__(
        self, *, label: StrOrPromise, lookup: Lookup | None = None, description: str = ""
    ) -> None:
        super().__init__(label=label, required=False)
        self.setup(lookup, description)

    def is_given(self, value: Any) -> bool:
        return bool(value)

    def api_annotation(self) -> tuple[Any, Any]:
        return bool, False


class MineFilter(CheckFilter):
    """A box to tick: only the rows of the user who asks, `field` naming who they belong to
    ("proposer"). The lookup receives the user."""

    def __init__(self, field: str, *, label: StrOrPromise, description: str = "") -> None:
        super().__init__(
            label=label,
            lookup=lambda queryset, user: queryset.filter(**{field: user}),
            description=description,
        )

    def value_for(self, value: Any, user: Account) -> Any:
        return user


def in_subtree(field: str) -> Callable[[QuerySet[Any], Any], QuerySet[Any]]:
    """A lookup for a tree node (a territory, an organization): the objects whose `field` is
    that node or any node inside it. The node's path is known, so the planner estimates the
    subtree well (better than a subquery)."""

    def narrow(queryset: QuerySet[Any], node: Any) -> QuerySet[Any]:
        return queryset.filter(**{f"{field}__path__startswith": node.path})

    return narrow


def _public_name(name: str) -> str:
    """`from_` → `from`: the name a keyword-named filter has outside Python."""
    bare = name[:-1]
    return bare if name.endswith("_") and keyword.iskeyword(bare) else name


class ListFiltersMetaclass(DeclarativeFieldsMetaclass):
    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> Any:
        new_class: Any = super().__new__(mcs, name, bases, attrs)
        fields = {_public_name(key): field for key, field in new_class.declared_fields.items()}
        new_class.base_fields = new_class.declared_fields = fields
        return new_class


class ListFilters(forms.Form, metaclass=ListFiltersMetaclass):
    """A list's filters: a form for the page, a query schema for the API, and `narrow` for the
    selector. Subclasses declare fields of the kinds above, in the order the page shows them."""

    _schemas: ClassVar[dict[type[ListFilters], type[Schema]]] = {}

    def __init__(self, data: Any = None, *, user: Account) -> None:
        super().__init__(data or None)
        self.user = user
        for field in self.fields.values():
            if isinstance(field, ReferenceFilter):
                field.queryset = field.choices_for(user)

    def values(self) -> dict[str, Any]:
        """The filters the user gave, parsed: invalid references become NOTHING, other invalid
        values are left out (the form shows their errors)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        values: dict[str, Any] = {}
        for name, field in self.fields.items():
            if name in self.errors:
                if isinstance(field, ReferenceFilter) and self.data.get(name):
                    values[name] = NOTHING
                continue
            value = self.cleaned_data.get(name)
            if isinstance(field, ListFilter) and field.is_given(value):
                values[name] = field.value_for(value, self.user)
        return values

    @classmethod
    def narrow(cls, queryset: Q, values: FilterValues | None) -> Q:
        """The queryset narrowed by each given filter (or its default), in the order of the
        declaration."""
        values = values or {}
        for name, field in cls.base_fields.items():
            if not isinstance(field, ListFilter):
                continue
            value = values.get(name, field.default)
            if value is not None:
                queryset = field.narrow(queryset, value)
        return queryset

    @classmethod
    def from_api(cls, params: Mapping[str, Any], *, user: Account) -> dict[str, Any]:
        """The API's query parameters (already typed by the schema) parsed like the page's."""
        data = {name: _as_text(value) for name, value in params.items() if value is not None}
        return cls(data, user=user).values()

    @classmethod
    def api_schema(cls) -> type[Schema]:
        """The query parameters of the list's API endpoint, one per filter, same names."""
        if cls not in cls._schemas:
            fields: dict[str, Any] = {}
            for name, field in cls.base_fields.items():
                if not isinstance(field, ListFilter):
                    continue
                annotation, default = field.api_annotation()
                fields[name] = (
                    annotation,
                    Field(default, description=field.description or None),
                )
            cls._schemas[cls] = create_model(f"{cls.__name__}Query", __base__=Schema, **fields)
        return cls._schemas[cls]


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


F = TypeVar("F", bound=Callable[..., Any])


def filtered(filters: type[ListFilters]) -> Callable[[F], F]:
    """An API list endpoint taking the list's filters as query parameters: the decorated
    function receives `filters`, the values parsed as the page parses them. Put it under
    `@paginate`."""

    def decorate(func: F) -> F:
        @wraps(func)
        def endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            given = kwargs.pop("list_filters", None)
            raw = given.dict() if given is not None else {}
            # The endpoint's auth (kense.accounts.auth) has put the user on the request.
            user: Account = request.auth  # type: ignore[attr-defined]
            kwargs["filters"] = filters.from_api(raw, user=user)
            return func(request, *args, **kwargs)

        # ninja reads the parameters from the signature: `filters` is ours to fill, not the
        # client's; the client's are the schema's, contributed under one name.
        signature = inspect.signature(func)
        # (inspect reads a function's __signature__, an attribute its type does not declare)
        endpoint.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[p for name, p in signature.parameters.items() if name != "filters"]
        )
        contribute_operation_args(endpoint, "list_filters", filters.api_schema(), params.Query(...))
        return cast(F, endpoint)

    return decorate
