"""The searchable multi-select: a long multiple choice (a region's organizations) is the one
widget of kense.core.forms, marked for core/multiselect.js and its tom-select (vendored from
npm, served like htmx) with its words translated; without JavaScript it is a plain select that
posts plain values."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.staticfiles import finders
from django.http import QueryDict
from django.test import Client
from django.utils import translation
from tests.factories import OrganizationFactory

from kense.core.forms import FastSelectMultiple, limit_choices
from kense.registry.models import Organization

pytestmark = pytest.mark.django_db


class ChooseOrganizations(forms.Form):
    organizations: forms.ModelMultipleChoiceField[Organization] = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "organizations", Organization.objects.order_by("pk"))


def test_the_widget_is_marked_searchable_with_translated_words() -> None:
    OrganizationFactory.create_batch(3)
    form = ChooseOrganizations()
    assert isinstance(form.fields["organizations"].widget, FastSelectMultiple)
    with translation.override("kk"):
        kk = str(form["organizations"])
    with translation.override("ru"):
        ru = str(form["organizations"])
    assert "multiple" in kk and "data-multi-search" in kk
    assert 'data-no-results="Ештеңе табылмады"' in kk
    assert 'data-no-results="Ничего не найдено"' in ru
    assert kk.count("<option") == 3


def test_without_javascript_the_select_posts_plain_values() -> None:
    first, _second, third = OrganizationFactory.create_batch(3)
    data = QueryDict(mutable=True)
    data.setlist("organizations", [str(first.pk), str(third.pk)])
    form = ChooseOrganizations(data)
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["organizations"]) == [first, third]


def test_the_vendored_script_is_served_and_every_page_loads_it(client: Client) -> None:
    for asset in (
        "vendor/tom-select/js/tom-select.complete.min.js",
        "vendor/tom-select/css/tom-select.default.min.css",
        "core/multiselect.js",
    ):
        assert finders.find(asset), asset
    page = client.get("/kk/accounts/login/").content.decode()
    assert "/static/vendor/tom-select/js/tom-select.complete.min.js" in page
    assert "/static/core/multiselect.js" in page
