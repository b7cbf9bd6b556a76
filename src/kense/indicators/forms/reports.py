"""Forms of the report pages: a report form, opening a report, the list's and the rates'
filters, and the values of a report."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.core.forms import limit_choices
from kense.core.lists import kazakh_order
from kense.core.permissions import Action
from kense.indicators.models import Indicator, IndicatorValue, ReportForm
from kense.registry.models import Territory


class ReportFormForm(forms.ModelForm):
    class Meta:
        model = ReportForm
        fields = [
            "code",
            "name_kk",
            "name_ru",
            "name_en",
            "period_kind",
            "due_days",
            "indicators",
            "territories",
            "rules",
        ]
        widgets = {
            "indicators": forms.CheckboxSelectMultiple,
            "rules": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "rules": _(
                'A list, e.g. [{"rule": "min", "indicator": "code", "value": 0}, '
                '{"rule": "lte", "a": "code", "b": "code"}, {"rule": "change", "percent": 30}].'
            )
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "indicators", Indicator.objects.all())
        limit_choices(self, "territories", Territory.objects.restrict(user).order_by("path"))
        self.fields["rules"].required = False


class OpenForm(forms.Form):
    form: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Report form"), queryset=ReportForm.objects.none()
    )
    territory: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Territory"), queryset=Territory.objects.none()
    )
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2200)
    period_number = forms.IntegerField(
        label=_("Period number"), min_value=1, max_value=12, help_text=_("1 for a yearly form.")
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "form", ReportForm.objects.order_by(kazakh_order()))
        limit_choices(
            self, "territory", Territory.objects.restrict(user, Action.CHANGE).order_by("path")
        )


class RatesFilter(forms.Form):
    form: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Report form"), queryset=ReportForm.objects.none()
    )
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "form", ReportForm.objects.order_by(kazakh_order()))


def _plain(value: Decimal | None) -> str | None:
    """A stored value as people write it: 3405, 12.5 (not 3405.0000)."""
    if value is None:
        return None
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def values_form(rows: list[IndicatorValue], data: Any = None) -> forms.Form:
    """A field for the value and one for the comment of each of the report's indicators."""
    form = forms.Form(data)
    for row in rows:
        form.fields[f"value_{row.indicator_id}"] = forms.DecimalField(
            label=row.indicator.name,
            required=False,
            max_digits=18,
            decimal_places=4,
            initial=_plain(row.value),
            localize=False,
        )
        form.fields[f"comment_{row.indicator_id}"] = forms.CharField(
            label=_("Comment"),
            required=False,
            max_length=2000,
            initial=row.comment,
            widget=forms.TextInput(),
        )
    return form
