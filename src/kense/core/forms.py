"""Form plumbing shared by every edit page: service errors land on the right field."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    EmptyResultSet,
    PermissionDenied,
    ValidationError,
)
from django.db import models
from django.forms.utils import flatatt
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from kense.core.http import AuthenticatedRequest
from kense.core.models import clean_aliases
from kense.core.permissions import can_add, get_changeable, get_visible
from kense.core.revisions import StaleRevision, expect_revision, is_audited, revision_of

if TYPE_CHECKING:
    from django.forms.models import ModelChoiceIterator
    from django.http import QueryDict
    from django_stubs_ext import StrOrPromise

    from kense.core.history import FieldChange
    from kense.core.permissions import Account

M = TypeVar("M", bound=models.Model)
F = TypeVar("F", bound=forms.BaseForm)
T = TypeVar("T")


class Linked(Protocol):
    """What a page goes back to after a write: an object with its own page."""

    def get_absolute_url(self) -> str: ...


L = TypeVar("L", bound=Linked)

OUT_OF_SCOPE = _("You may not save this here: the result would lie outside your scope.")

# The hidden field of an edit form that carries the revision the form was opened at.
REVISION = "revision"


def attach_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names, the rest on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def object_for_edit(
    request: HttpRequest,
    model: type[M],
    pk: int | None,
    *,
    prefill: dict[str, models.QuerySet[Any] | models.Manager[Any]] | None = None,
    **initial: Any,
) -> M:
    """The object an edit page works on: a new one (403 unless the role may add) with
    `initial` values and, for each `prefill` field named in the query string (?program=3), the
    visible object it names; or an existing one (404 outside the scope, 403 unless the user may
    change it)."""
    user = request.user
    if pk is None:
        if not can_add(user, model):
            raise PermissionDenied
        obj = model(**initial)
        for field, queryset in (prefill or {}).items():
            if request.GET.get(field):
                setattr(obj, field, get_visible(queryset, user, pk=request.GET[field]))
        return obj
    return get_changeable(model._default_manager.all(), user, pk=pk)


# What a save tells its user besides "Saved.": functions of the saved object that return a
# warning or "" (kense.geo warns of a point outside its territory). A warning never refuses.
SAVE_NOTES: list[Callable[[Any], str]] = []


def register_save_note(note: Callable[[Any], str]) -> None:
    if note not in SAVE_NOTES:
        SAVE_NOTES.append(note)


def handle_form(
    request: HttpRequest,
    form: F,
    save: Callable[[F], Linked],
    *,
    title: StrOrPromise,
    cancel_url: str,
    success_message: StrOrPromise | None = None,
    template: str = "core/form.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Validate, call the service, redirect to the saved object; otherwise show the errors
    (see `save_edit`). Nothing partial is saved: services run in one transaction and raise
    before committing."""
    saved, conflict = save_edit(request, form, save)
    if saved is not None:
        messages.success(request, success_message or _("Saved."))
        for note in SAVE_NOTES:
            warning = note(saved)
            if warning:
                messages.warning(request, warning)
        return redirect(saved.get_absolute_url())
    context = {
        "form": form,
        "title": title,
        "cancel_url": cancel_url,
        "conflict": conflict,
        **(extra or {}),
    }
    status = 409 if conflict is not None else 400 if form.errors else 200
    return render(request, template, context, status=status)


def save_edit(
    request: HttpRequest, form: F, save: Callable[[F], T]
) -> tuple[T | None, list[FieldChange] | None]:
    """The one way an edit page saves: for a POST, validate the form and call `save` (the
    service); a refusal becomes the form's errors. Returns what `save` returned, or None with,
    after a lost update, the list of what the other person changed.

    The form of an existing audited object carries the revision it was opened at
    (`kense.core.revisions`): when someone saved in between, the save is refused, the user's
    values stay in the form, what the other person changed is returned to be listed above it
    (`core/_conflict.html`, status 409), and the form now carries the current revision, so
    saving again, after comparing, is accepted. A post without the field (an older page) is
    saved as before. Call it for a GET too: it gives the form its hidden revision.
    """
    instance = _carry_revision(form)
    if request.method != "POST" or not form.is_valid():
        return None, None
    sent = form.cleaned_data.get(REVISION) or ""
    if instance is not None and sent:
        # A revision that is not a number matches none: refused, and shown the current one.
        expect_revision(instance, [int(sent) if sent.isdigit() else -1])
    try:
        return save(form), None
    except StaleRevision as error:
        form.add_error(None, error)
        data = cast("QueryDict", form.data).copy()
        data[REVISION] = str(error.revision)
        form.data = data
        return None, error.changes
    except ValidationError as error:
        attach_errors(form, error)
    except PermissionDenied:
        form.add_error(None, OUT_OF_SCOPE)
    return None, None


def _carry_revision(form: forms.BaseForm) -> models.Model | None:
    """Give the form of an existing audited object the hidden REVISION field, holding the
    object's current revision when the form is shown; the object, or None for any other form
    (a new object, an action's form, a form with a field of that name of its own)."""
    instance = getattr(form, "instance", None)
    if not isinstance(form, forms.BaseModelForm) or not is_audited(instance):
        return None
    if REVISION in form.fields:
        return None
    form.fields[REVISION] = forms.CharField(widget=forms.HiddenInput, required=False)
    if not form.is_bound:
        form.initial[REVISION] = revision_of(instance)
    return instance


class ReturnForm(forms.Form):
    """What a reviewer sends back with a plan or a report: the comments are required."""

    comment = forms.CharField(
        label=_("What to correct"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what to correct: the comments are required.")},
    )


def apply_transition(
    request: HttpRequest, obj: Linked, service: Callable[..., object], done: StrOrPromise
) -> HttpResponse:
    """Take a submit/approve/amend step of an approval workflow (`kense.core.approval`) by its
    service; a user who may not take it gets 403, a refusal by the state becomes the page's
    error messages (each named by what it is about: a report's errors are keyed by indicator
    code), a success a message; back to the object's page either way. The API's twin is
    `kense.core.api.take_step`."""
    try:
        service(obj, user=request.user)
    except ValidationError as error:
        named: dict[str, list[str]] = (
            error.message_dict
            if hasattr(error, "error_dict")
            else {NON_FIELD_ERRORS: error.messages}
        )
        for key, key_messages in named.items():
            for message in key_messages:
                messages.error(request, message if key == NON_FIELD_ERRORS else f"{key}: {message}")
    else:
        messages.success(request, done)
    return redirect(obj.get_absolute_url())


def return_with_comments(
    request: AuthenticatedRequest,
    obj: L,
    service: Callable[..., object],
    *,
    may: Callable[[Account, L], bool],
    title: StrOrPromise,
    done: StrOrPromise,
    template: str = "core/form.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page that returns a plan or a report with the reviewer's comments: 403 unless
    `may(user, obj)` (the workflow's may_approve), before the form is even shown."""
    if not may(request.user, obj):
        raise PermissionDenied
    url = obj.get_absolute_url()
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(obj, user=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(url)
    page = {"form": form, "title": title, "cancel_url": url, **(context or {})}
    return render(request, template, page, status=400 if form.errors else 200)


class FastSelect(forms.Select):
    """A <select> whose options are written in Python. Django renders each option through a
    template, about 0.1 ms apiece: a second for the 20,000 organizations a country-wide user
    may choose from. Same markup, same attributes."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = [
            format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option["value"],
                    flatatt(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))


class FastSelectMultiple(FastSelect):
    """A multiple choice among many (a region's 116 organizations, its people): a plain
    <select multiple>, which core/multiselect.js turns into a searchable list of chips
    (tom-select, served from node_modules like htmx) so nobody has to Ctrl+click through it.
    Without JavaScript it is still the plain select and posts the same plain values; the
    widget's own words (placeholder, "nothing found", "remove") come with it, translated."""

    allow_multiple_selected = True

    value_from_datadict = forms.SelectMultiple.value_from_datadict
    value_omitted_from_data = forms.SelectMultiple.value_omitted_from_data

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        words = {
            "data-multi-search": "",
            "data-placeholder": _("Type to search…"),
            "data-no-results": _("Nothing found"),
            "data-remove": _("Remove"),
        }
        return super().get_context(name, value, {**words, **(attrs or {})})


class SearchSelect(FastSelect):
    """A select for choices that grow with the scope (a region's thousand organizations, a
    country's 2,800 territories). Up to SHOWN_AT_MOST choices it is a plain select; beyond, it
    holds only the chosen value and a search box beside it finds the others (HTMX asks
    `home:choices` for the user's matches), so a page never renders thousands of options."""

    SHOWN_AT_MOST = 100
    # Choices found to be many are taken to stay many for this long, per the rows' query (the
    # scope is in it), without asking again: to learn that a region's assignments have more
    # than a hundred controllers took 40-80 ms of every list page. Only "many" is kept: the
    # search box finds each choice however few they have become, while the plain select
    # lists the keys read now.
    MANY_SECONDS = 600

    def __init__(self, source: str, attrs: Any = None) -> None:
        super().__init__(attrs)
        self.source = source
        self.searching = False

    def optgroups(self, name: str, value: Any, attrs: Any = None) -> list[Any]:
        # A ModelChoiceField hands its widget its ModelChoiceIterator as the choices.
        choices = cast("ModelChoiceIterator[Any]", self.choices)
        queryset = choices.queryset
        # How many there are, from the keys alone (no order, no rows): a country's
        # organizations are neither sorted nor read to learn that they are many.
        all_keys = queryset.order_by().values_list("pk", flat=True)
        many = _many_key(all_keys)
        keys: list[Any] = []
        if many and cache.get(many):
            self.searching = True
        else:
            keys = list(all_keys[: self.SHOWN_AT_MOST + 1])
            self.searching = len(keys) > self.SHOWN_AT_MOST
            if self.searching and many:
                cache.set(many, True, self.MANY_SECONDS)
        field = choices.field
        empty = [] if field.empty_label is None else [("", field.empty_label)]
        if not self.searching:
            every = queryset.filter(pk__in=keys) if keys else []
            self.choices = empty + [(obj.pk, field.label_from_instance(obj)) for obj in every]
            return super().optgroups(name, value, attrs)
        chosen = [item for item in value if item]
        found = list(queryset.filter(pk__in=chosen)) if chosen else []
        options = [self.create_option(name, key, str(label), not found, 0) for key, label in empty]
        options += [
            self.create_option(name, obj.pk, field.label_from_instance(obj), True, index)
            for index, obj in enumerate(found, start=1)
        ]
        return [(None, options, 0)]

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        select = super().render(name, value, attrs, renderer)
        if not self.searching:
            return select
        target = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        search = format_html(
            # form="…" names no form: the text is sent to `home:choices` only, not with the
            # filters.
            '<input type="search" name="choice_search" form="search-select-only" '
            'autocomplete="off" placeholder="{}" '
            'aria-label="{}" hx-get="{}" hx-trigger="input changed delay:250ms" '
            'hx-target="#{}" hx-swap="innerHTML" hx-sync="this:replace">',
            _("Type to search…"),
            _("Search the choices"),
            reverse("home:choices", args=[self.source]),
            target,
        )
        return format_html('<span class="search-select">{}{}</span>', search, select)


def _many_key(keys: models.QuerySet[Any]) -> str | None:
    """The cache key under which SearchSelect remembers that the rows of `keys` are many:
    its SQL, scope and all; None for a query that cannot be written (one that finds nothing
    by construction)."""
    try:
        sql, params = keys.query.sql_with_params()
    except EmptyResultSet:
        return None
    text = f"{keys.db}|{sql}|{params!r}"
    return "choices:many:" + hashlib.sha256(text.encode()).hexdigest()


def _choose_with(
    field: forms.ModelChoiceField[Any], widget: forms.Widget, queryset: models.QuerySet[Any]
) -> None:
    """Give the field a new widget (keeping the old one's attributes) and its choices."""
    widget.attrs = field.widget.attrs
    widget.is_required = field.widget.is_required
    field.widget = widget
    field.queryset = queryset  # after the widget: setting it hands the widget the choices


def search_choices(
    form: forms.BaseForm, field_name: str, queryset: models.QuerySet[Any], source: str
) -> None:
    """Like limit_choices, with a SearchSelect over `source` (a name in
    home.views._choice_sources)."""
    field = form.fields[field_name]
    assert isinstance(field, forms.ModelChoiceField)
    _choose_with(field, SearchSelect(source), queryset)


def limit_choices(form: forms.BaseForm, field_name: str, queryset: models.QuerySet[Any]) -> None:
    """Narrow a model choice field to the objects the user may see (or change); a plain
    select becomes a FastSelect, since such lists grow with the user's scope."""
    field = form.fields[field_name]
    assert isinstance(field, forms.ModelChoiceField)
    fast = {forms.Select: FastSelect, forms.SelectMultiple: FastSelectMultiple}.get(
        type(field.widget)
    )
    if fast is None:
        field.queryset = queryset
    else:
        _choose_with(field, fast(), queryset)


class AliasesField(forms.CharField):
    """Aliases edited as one spelling per line, stored as a list."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    # A list, not CharField's text: the cleaned value is the aliases themselves.
    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        return clean_aliases(super().to_python(value))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, each checked as a FileField checks one; the service that
    attaches them (`kense.core.attachments.attach`) checks their number and content."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        single = super().clean
        return [single(upload, initial) for upload in uploads]
