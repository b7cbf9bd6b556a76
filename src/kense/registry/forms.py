from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kense.core.forms import AliasesField, DateInput, limit_choices
from kense.core.lists import kazakh_order
from kense.core.permissions import Action, scope_of
from kense.registry.models import (
    Appointment,
    Employment,
    Organization,
    Person,
    Position,
    StaffPost,
    Territory,
)

if TYPE_CHECKING:
    from kense.accounts.models import User

DATE_WIDGETS = {
    name: DateInput() for name in ("valid_from", "valid_to", "start", "end", "act_date")
}


class ScopedModelForm(forms.ModelForm):
    """Related-object choices are narrowed to what the user may see or change."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user


class MoveFields(forms.Form):
    moved_on = forms.DateField(
        label=_("Moved on"),
        required=False,
        widget=DateInput(),
        help_text=_("When the parent changes: the date the move took effect (today if empty)."),
    )
    act = forms.CharField(
        label=_("Act of the move"),
        required=False,
        max_length=200,
        help_text=_("The decision behind the move: its number and date."),
    )


class TerritoryForm(ScopedModelForm):
    aliases = AliasesField(
        label=_("Aliases"),
        required=False,
        help_text=_("Other spellings of the name, one per line."),
    )
    moved_on = MoveFields.base_fields["moved_on"]
    act = MoveFields.base_fields["act"]

    class Meta:
        model = Territory
        fields = [
            "name_kk",
            "name_ru",
            "name_en",
            "kind",
            "parent",
            "kato",
            "aliases",
            "latitude",
            "longitude",
            "valid_from",
            "valid_to",
        ]
        widgets = DATE_WIDGETS

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        parents = Territory.objects.restrict(user, Action.CHANGE)
        if self.instance.pk:
            parents = Territory.objects.restrict(user, Action.VIEW).exclude(
                path__startswith=self.instance.path
            )
            # The current parent stays a choice even outside the user's view, so the unit
            # can be saved unchanged by whoever may edit it.
            parents = parents | Territory.objects.filter(pk=self.instance.parent_id)
        limit_choices(self, "parent", parents.distinct().order_by("path"))


class OrganizationForm(ScopedModelForm):
    aliases = AliasesField(
        label=_("Aliases"),
        required=False,
        help_text=_("Other spellings of the name, one per line."),
    )
    moved_on = MoveFields.base_fields["moved_on"]
    act = MoveFields.base_fields["act"]

    class Meta:
        model = Organization
        fields = [
            "name_kk",
            "name_ru",
            "name_en",
            "short_name_kk",
            "short_name_ru",
            "short_name_en",
            "kind",
            "territory",
            "parent",
            "bin",
            "aliases",
            "email",
            "phone",
            "address",
            "latitude",
            "longitude",
            "website",
        ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        parents = Organization.objects.restrict(user)
        territories = Territory.objects.restrict(user)
        if self.instance.pk:
            parents = parents.exclude(path__startswith=self.instance.path)
            # The current parent and territory stay choices even outside the user's view.
            parents = parents | Organization.objects.filter(pk=self.instance.parent_id)
            territories = territories | Territory.objects.filter(pk=self.instance.territory_id)
        limit_choices(self, "territory", territories.distinct().order_by(kazakh_order()))
        limit_choices(self, "parent", parents.distinct().order_by(kazakh_order()))


class PersonForm(ScopedModelForm):
    aliases = AliasesField(
        label=_("Aliases"),
        required=False,
        help_text=_("Other spellings of the name, one per line."),
    )

    class Meta:
        model = Person
        fields = [
            "surname_kk",
            "given_name_kk",
            "patronymic_kk",
            "surname_ru",
            "given_name_ru",
            "patronymic_ru",
            "surname_en",
            "given_name_en",
            "patronymic_en",
            "academic_degree_kk",
            "academic_degree_ru",
            "academic_degree_en",
            "aliases",
            "territory",
            "email",
            "phone",
        ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        limit_choices(self, "territory", Territory.objects.restrict(user).order_by(kazakh_order()))
        if self.instance.pk is None and scope_of(user).is_organization_bound:
            # A department or an institution registers people through their post with it:
            # the person is theirs only once appointed, so both are saved together.
            self.fields["position"] = forms.ModelChoiceField(
                label=_("Position in your organization"),
                queryset=Position.objects.order_by(kazakh_order()),
            )
            self.fields["start"] = forms.DateField(label=_("In post since"), widget=DateInput())
            self.fields["employment"] = forms.ChoiceField(
                label=_("Employment"), choices=Employment.choices, initial=Employment.STAFF
            )

    def appointment(self) -> Appointment | None:
        """The post in the user's organization that comes with a new person, if asked."""
        if "position" not in self.fields:
            return None
        return Appointment(
            organization=self.user.organization,
            position=self.cleaned_data["position"],
            start=self.cleaned_data["start"],
            employment=self.cleaned_data["employment"],
        )


class AppointmentForm(ScopedModelForm):
    class Meta:
        model = Appointment
        fields = [
            "person",
            "organization",
            "position",
            "title_kk",
            "title_ru",
            "title_en",
            "post",
            "employment",
            "start",
            "end",
            "act_kind",
            "act_number",
            "act_date",
        ]
        widgets = DATE_WIDGETS

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        people = Person.objects.restrict(user).order_by(kazakh_order("surname"))
        limit_choices(self, "person", people)
        organizations = Organization.objects.restrict(user, Action.CHANGE)
        limit_choices(self, "organization", organizations.order_by(kazakh_order()))
        limit_choices(self, "position", Position.objects.order_by(kazakh_order()))
        posts = StaffPost.objects.restrict(user, Action.CHANGE)
        limit_choices(self, "post", posts.select_related("organization", "position"))


class StaffPostForm(ScopedModelForm):
    class Meta:
        model = StaffPost
        fields = [
            "organization",
            "position",
            "title_kk",
            "title_ru",
            "title_en",
            "employment",
            "order",
        ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        organizations = Organization.objects.restrict(user, Action.CHANGE)
        limit_choices(self, "organization", organizations.order_by(kazakh_order()))
        limit_choices(self, "position", Position.objects.order_by(kazakh_order()))


class TreeDateForm(forms.Form):
    on = forms.DateField(label=_("As on"), required=False, widget=DateInput())
