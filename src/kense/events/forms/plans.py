"""Forms of work plans: the plan and one of its items."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.core.forms import DateInput, limit_choices
from kense.core.lists import kazakh_order
from kense.events.models import PlanItem, WorkPlan
from kense.programs.models import Project
from kense.registry.models import Organization, Territory


class PlanForm(forms.ModelForm):
    class Meta:
        model = WorkPlan
        fields = [
            "title_kk",
            "title_ru",
            "title_en",
            "territory",
            "organization",
            "year",
            "quarter",
        ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "territory", Territory.objects.restrict(user).order_by("path"))
        limit_choices(
            self, "organization", Organization.objects.restrict(user).order_by(kazakh_order())
        )


class PlanItemForm(forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = PlanItem.CONTENT
        widgets = {"start": DateInput(), "end": DateInput()}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self, "responsible", Organization.objects.restrict(user).order_by(kazakh_order())
        )
        limit_choices(self, "project", Project.objects.restrict(user).order_by(kazakh_order()))
        self.fields["order"].required = False
        self.fields["order"].help_text = _("The next number when empty.")

    def clean_order(self) -> int:
        return self.cleaned_data.get("order") or 0
