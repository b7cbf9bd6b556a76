"""Forms of states of emergency: declaring one, lifting it, and new dates for an event it
postponed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.core.forms import DateInput, limit_choices
from kense.core.lists import kazakh_order
from kense.core.permissions import Action
from kense.events.models import Emergency
from kense.registry.models import Territory


class EmergencyForm(forms.ModelForm):
    class Meta:
        model = Emergency
        fields = [
            "kind",
            "title_kk",
            "title_ru",
            "title_en",
            "territories",
            "start",
            "end",
            "act_number",
            "act_date",
            "restricts",
        ]
        widgets = {"start": DateInput(), "end": DateInput(), "act_date": DateInput()}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title_kk"].required = True
        self.fields["title_ru"].required = True
        limit_choices(
            self,
            "territories",
            Territory.objects.restrict(user, Action.CHANGE).order_by(kazakh_order(), "pk"),
        )


class LiftForm(forms.Form):
    lifted_on = forms.DateField(
        label=_("lifted on"),
        widget=DateInput(),
        help_text=_("The first day without restrictions."),
    )


class RescheduleForm(forms.Form):
    start = forms.DateField(label=_("new start"), widget=DateInput())
    end = forms.DateField(label=_("new end"), widget=DateInput())
