from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.core.files import ATTACHMENT_EXTENSIONS
from kense.core.forms import MultipleFileField, limit_choices
from kense.core.lists import kazakh_order
from kense.events.models import Event
from kense.ideas.models import Idea, IdeaStatus
from kense.programs.models import Direction, Program, Project
from kense.registry.models import Territory, TerritoryKind


def _territories(user: User) -> Any:
    """Any territory of the user's region may be named (the idea is about a place, not the
    proposer), none of another region: its names are outside the user's scope."""
    own = user.territory or (user.organization.territory if user.organization else None)
    if own is None:
        return Territory.objects.restrict(user).order_by("path")
    chain = [*own.ancestors(), own]  # from the top of the tree down
    region = next((t for t in reversed(chain) if t.kind == TerritoryKind.REGION), chain[0])
    return Territory.objects.filter(path__startswith=region.path).order_by("path")


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    direction: forms.ModelChoiceField[Direction] = forms.ModelChoiceField(
        label=_("Program direction"), required=False, queryset=Direction.objects.none()
    )
    territory: forms.ModelChoiceField[Territory] = forms.ModelChoiceField(
        label=_("Territory"), queryset=Territory.objects.none()
    )
    attachments = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_("Up to 5 files: %(types)s.") % {"types": ", ".join(ATTACHMENT_EXTENSIONS)},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        directions = Direction.objects.select_related("program").order_by(kazakh_order())
        limit_choices(self, "direction", directions)
        limit_choices(self, "territory", _territories(user))
        if user.territory is not None:
            self.fields["territory"].initial = user.territory.pk


class AcceptForm(forms.Form):
    project: forms.ModelChoiceField[Project] = forms.ModelChoiceField(
        label=_("An existing project"), required=False, queryset=Project.objects.none()
    )
    event: forms.ModelChoiceField[Event] = forms.ModelChoiceField(
        label=_("An existing event"), required=False, queryset=Event.objects.none()
    )
    new_project_program: forms.ModelChoiceField[Program] = forms.ModelChoiceField(
        label=_("Or a new project of the program"),
        required=False,
        queryset=Program.objects.none(),
        help_text=_("A new special project is created with the idea's title and territory."),
    )
    answer = forms.CharField(
        label=_("Answer to the proposer"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "project", Project.objects.restrict(user).order_by(kazakh_order()))
        limit_choices(self, "event", Event.objects.restrict(user).order_by("-start", "pk"))
        limit_choices(self, "new_project_program", Program.objects.order_by(kazakh_order()))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [data.get(name) for name in ("project", "event", "new_project_program")]
        if sum(value is not None for value in chosen) != 1:
            raise forms.ValidationError(
                _("An accepted idea becomes one project or one event: choose exactly one.")
            )
        return data


class RejectForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the proposer"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say why: the proposer reads it."),
    )


class MergeForm(forms.Form):
    merged_into: forms.ModelChoiceField[Idea] = forms.ModelChoiceField(
        label=_("Merge into the idea"), queryset=Idea.objects.none()
    )
    answer = forms.CharField(
        label=_("Answer to the proposer"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, user: User, idea: Idea, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = (
            Idea.objects.restrict(user)
            .exclude(pk=idea.pk)
            .exclude(status=IdeaStatus.MERGED)
            .order_by("-created_at", "-pk")
        )
        limit_choices(self, "merged_into", others)
