from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kense.core.forms import DateInput
from kense.core.lists import kazakh_order
from kense.registry.models import Territory, TerritoryKind

MAPPED_KINDS = (
    TerritoryKind.COUNTRY,
    TerritoryKind.REGION,
    TerritoryKind.CITY,
    TerritoryKind.DISTRICT,
)


class MapForm(forms.Form):
    """Which territory's map, on which day, with which points over it."""

    territory = forms.ModelChoiceField(
        label=_("Territory"), queryset=Territory.objects.none(), required=False
    )
    on = forms.DateField(label=_("As on"), required=False, widget=DateInput())
    level = forms.ChoiceField(
        label=_("Areas"),
        required=False,
        choices=[
            ("", _("The units directly inside")),
            ("districts", _("Cities and districts")),
        ],
    )
    measure = forms.ChoiceField(
        label=_("Colour by"),
        required=False,
        choices=[
            ("", _("Nothing")),
            ("events", _("Events of the year")),
            ("overdue", _("Overdue assignments")),
        ],
    )
    events = forms.BooleanField(label=_("Events"), required=False)
    organizations = forms.BooleanField(label=_("Organizations"), required=False)
    sites = forms.BooleanField(label=_("Sacred sites"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["territory"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Territory.objects.restrict(user)
            .filter(kind__in=MAPPED_KINDS)
            .order_by("depth", kazakh_order(), "pk")
        )


class BoundaryImportForm(forms.Form):
    file = forms.FileField(
        label=_("GeoJSON file"),
        help_text=_(
            "A FeatureCollection of polygons in WGS84; each feature names its territory by a "
            "KATO code (property kato) or by its name."
        ),
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        required=False,
        widget=DateInput(),
        help_text=_("The day these boundaries took effect; the ones before end the day before."),
    )
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    leave_out_unmatched = forms.BooleanField(
        label=_("Leave out the features that match no territory"), required=False
    )
