"""Forms of the results pages: a ranking methodology with a weight per indicator."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from kense.indicators.models import Indicator, Methodology


class MethodologyForm(forms.ModelForm):
    """The methodology's fields, and a weight per indicator (empty: not weighed)."""

    class Meta:
        model = Methodology
        fields = [
            "name_kk",
            "name_ru",
            "name_en",
            "year",
            "normalization",
            "low_rule",
            "threshold",
            "description_kk",
            "description_ru",
            "weights",
        ]
        widgets = {"weights": forms.HiddenInput}

    def __init__(self, *args: Any, indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        # Entered per indicator below, gathered in clean().
        self.fields["weights"].required = False
        weights = self.instance.weights or {}
        for indicator in indicators:
            self.fields[f"weight_{indicator.code}"] = forms.DecimalField(
                label=indicator.name,
                required=False,
                min_value=Decimal(0),
                max_digits=8,
                decimal_places=3,
                initial=weights.get(indicator.code),
            )

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"weight_{indicator.code}"] for indicator in self.indicators]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        weights = {}
        for indicator in self.indicators:
            weight = data.get(f"weight_{indicator.code}")
            if weight is not None:
                weights[indicator.code] = float(weight)
        data["weights"] = weights
        return data
