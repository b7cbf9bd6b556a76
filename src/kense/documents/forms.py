from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.core.forms import DateInput, MultipleFileField, limit_choices
from kense.core.lists import kazakh_order
from kense.documents.models import (
    AUDIENCE_KINDS,
    DistributionMode,
    Document,
    Language,
)
from kense.registry.models import Organization, OrganizationKind, Person, Territory


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = [
            "title_kk",
            "title_ru",
            "title_en",
            "kind",
            "description_kk",
            "description_ru",
            "description_en",
            "author_person",
            "author_organization",
        ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self, "author_person", Person.objects.restrict(user).order_by(kazakh_order("surname"))
        )
        limit_choices(
            self,
            "author_organization",
            Organization.objects.restrict(user).order_by(kazakh_order()),
        )


class VersionForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, DOCX or PPTX; the content is checked.")
    )
    change_note = forms.CharField(
        label=_("What changed"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DistributionForm(forms.Form):
    organization_kinds = forms.MultipleChoiceField(
        label=_("Send to"),
        choices=[
            (kind, label) for kind, label in OrganizationKind.choices if kind in AUDIENCE_KINDS
        ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Akimats are those of districts and cities."),
    )
    territory: forms.ModelChoiceField[Territory] = forms.ModelChoiceField(
        label=_("Within territory"),
        required=False,
        queryset=Territory.objects.none(),
        help_text=_("Empty: the whole region."),
    )
    mode = forms.ChoiceField(
        label=_("Mode"), choices=DistributionMode.choices, initial=DistributionMode.MANDATORY
    )
    deadline = forms.DateField(label=_("Acknowledge by"), required=False, widget=DateInput())
    report_requested = forms.BooleanField(
        label=_("Ask for a report on how it is applied"), required=False
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "territory", Territory.objects.restrict(user).order_by("path"))


class AcknowledgeForm(forms.Form):
    report = forms.CharField(
        label=_("How your organization applies it"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)
