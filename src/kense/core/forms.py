"""Form plumbing shared by every edit page: service errors land on the right field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from kense.core.models import clean_aliases
from kense.core.permissions import Action, can_add, get_visible, require

M = TypeVar("M", bound=models.Model)

OUT_OF_SCOPE = _("You may not save this here: the result would lie outside your scope.")


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
    prefill: dict[str, Any] | None = None,
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
    obj = get_visible(model._default_manager.all(), user, pk=pk)
    require(user, Action.CHANGE, obj)
    return obj


def handle_form(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[Any], Any],
    *,
    title: Any,
    cancel_url: str,
    success_message: Any = None,
    template: str = "core/form.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Validate, call the service, redirect to the saved object; otherwise show the errors.

    Nothing partial is saved: services run in one transaction and raise before committing.
    """
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except ValidationError as error:
            attach_errors(form, error)
        except PermissionDenied:
            form.add_error(None, OUT_OF_SCOPE)
        else:
            messages.success(request, success_message or _("Saved."))
            return redirect(saved.get_absolute_url())
    context = {"form": form, "title": title, "cancel_url": cancel_url, **(extra or {})}
    return render(request, template, context, status=400 if form.errors else 200)


def limit_choices(form: forms.BaseForm, field_name: str, queryset: Any) -> None:
    """Narrow a model choice field to the objects the user may see (or change)."""
    field = form.fields[field_name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class AliasesField(forms.CharField):
    """Aliases edited as one spelling per line, stored as a list."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        return clean_aliases(super().to_python(value))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)
