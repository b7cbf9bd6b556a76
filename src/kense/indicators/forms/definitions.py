"""Forms of the indicator pages: an indicator, the list's filter, the targets table's filter
and one cell of it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.core.forms import limit_choices
from kense.core.lists import kazakh_order
from kense.indicators.models import Indicator
from kense.indicators.services import definitions as definition_services
from kense.programs.models import Direction
from kense.registry.models import Territory


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name_kk",
            "name_ru",
            "name_en",
            "unit_kk",
            "unit_ru",
            "unit_en",
            "higher_is_better",
            "direction",
            "source",
            "computation",
            "order",
        ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        directions = Direction.objects.restrict(user).select_related("program")
        limit_choices(self, "direction", directions.order_by(kazakh_order()))


def _year_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=definition_services.FIRST_YEAR,
        max_value=definition_services.LAST_YEAR,
    )


class TargetFilter(forms.Form):
    indicator: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Indicator"), required=False, queryset=Indicator.objects.none()
    )
    year_from = _year_field(_("From year"))
    year_to = _year_field(_("To year"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "indicator", Indicator.objects.restrict(user))


class TargetEntryForm(forms.Form):
    """One cell of the targets table."""

    indicator: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Indicator"), queryset=Indicator.objects.none()
    )
    territory: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Territory"), queryset=Territory.objects.none()
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=definition_services.FIRST_YEAR,
        max_value=definition_services.LAST_YEAR,
    )
    value = forms.DecimalField(label=_("Target"), max_digits=18, decimal_places=4)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "indicator", Indicator.objects.restrict(user))
        limit_choices(self, "territory", Territory.objects.restrict(user))
