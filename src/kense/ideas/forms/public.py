"""The residents' forms on the open pages: their address, the code, their idea."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from kense.core.forms import limit_choices
from kense.ideas.public import TEXT_MAX, TITLE_MAX, idea_places
from kense.registry.models import Territory

HONEYPOT_FILLED = _("The form could not be accepted. Please try again.")


class HoneypotForm(forms.Form):
    # Hidden from people by the page's CSS (and labelled "leave empty" for screen readers);
    # bots that fill every field fill it too, and are refused.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self) -> str:
        value: str = self.cleaned_data.get("website", "")
        if value:
            raise forms.ValidationError(HONEYPOT_FILLED)
        return value


class AddressForm(HoneypotForm):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("We send a one-time code to it; no password, no account."),
    )
    consent = forms.BooleanField(
        label=_("I have read how my personal data is processed."), required=True
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from the letter"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("The code has six digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class CitizenIdeaForm(HoneypotForm):
    territory: forms.ModelChoiceField[Territory] = forms.ModelChoiceField(
        label=_("Settlement, district or city"), queryset=Territory.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Your idea"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 10})
    )
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Optional: the place on the map, in degrees, for example 49.8047."),
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        required=False,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("For example 73.1094."),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("Optional: a JPEG or PNG of at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    keep_photo_place = forms.BooleanField(
        label=_("Keep the place where the photo was taken"),
        required=False,
        help_text=_("Otherwise the GPS location is removed from the photo before it is stored."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "territory", idea_places())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both the latitude and the longitude, or neither."))
        return data
