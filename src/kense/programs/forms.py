from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kense.core.forms import AliasesField, DateInput, limit_choices
from kense.core.lists import kazakh_order
from kense.programs.models import Direction, Program, Project
from kense.registry.models import Organization, Territory

if TYPE_CHECKING:
    from kense.accounts.models import User

WORK_FIELDS = [
    "name_kk",
    "name_ru",
    "name_en",
    "aliases",
    "description_kk",
    "description_ru",
    "description_en",
    "start",
    "end",
    "status",
    "lead_organization",
    "co_executors",
]
WIDGETS = {"start": DateInput(), "end": DateInput()}


class ProgramWorkForm(forms.ModelForm):
    aliases = AliasesField(
        label=_("Aliases"), required=False, help_text=_("Other names, one per line.")
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        organizations = Organization.objects.restrict(user).order_by(kazakh_order())
        limit_choices(self, "lead_organization", organizations)
        limit_choices(self, "co_executors", organizations)
        self.fields["co_executors"].widget.attrs["size"] = 8


class ProgramForm(ProgramWorkForm):
    class Meta:
        model = Program
        fields = ["code", *WORK_FIELDS]
        widgets = WIDGETS


class DirectionForm(ProgramWorkForm):
    class Meta:
        model = Direction
        fields = ["program", "order", *WORK_FIELDS]
        widgets = WIDGETS


class ProjectForm(ProgramWorkForm):
    class Meta:
        model = Project
        fields = [
            "program",
            "direction",
            "parent",
            "territory",
            "latitude",
            "longitude",
            "budget",
            *WORK_FIELDS,
        ]
        widgets = WIDGETS

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        limit_choices(self, "territory", Territory.objects.restrict(user).order_by("path"))
        limit_choices(self, "program", Program.objects.order_by(kazakh_order()))
        directions = Direction.objects.select_related("program").order_by(kazakh_order())
        limit_choices(self, "direction", directions)
        parents = Project.objects.restrict(user)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        limit_choices(self, "parent", parents.order_by(kazakh_order()))
