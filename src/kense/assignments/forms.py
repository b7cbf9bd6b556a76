"""Forms of the assignment pages. They parse and check input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.assignments.models import Assignment, DeadlineKind, SourceKind
from kense.core.forms import DateInput, MultipleFileField, limit_choices
from kense.core.lists import kazakh_order
from kense.core.permissions import Action, Role
from kense.registry.models import Organization, Person, Territory

CONTROLLER_ROLES = (
    Role.ADMINISTRATOR,
    Role.PROJECT_OFFICE,
    Role.EXECUTIVE,
    Role.COORDINATOR,
    Role.DEPARTMENT,
)


class AssignmentForm(forms.ModelForm):
    """An assignment typed by hand (an akim's order) or edited; a meeting's assignment keeps
    its meeting and decision."""

    class Meta:
        model = Assignment
        fields = [
            "number",
            "text_kk",
            "text_ru",
            "text_en",
            "order_reference",
            "lead_organization",
            "lead_person",
            "co_executors",
            "deadline_kind",
            "deadline",
            "deadline_reason",
            "recurrence",
            "recurrence_day",
            "recurrence_until",
            "days_after_lifting",
            "priority",
            "controller",
        ]
        widgets = {
            "deadline": DateInput(),
            "recurrence_until": DateInput(),
            "text_kk": forms.Textarea(attrs={"rows": 4}),
            "text_ru": forms.Textarea(attrs={"rows": 4}),
            "text_en": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "text_kk": _("Text in Kazakh"),
            "text_ru": _("Text in Russian"),
            "text_en": _("Text in English"),
        }
        help_texts = {
            "deadline_reason": _("Only when the deadline is already past: why it is kept."),
            "recurrence_day": _("For a recurring deadline: the day of the month it is due."),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.source_kind != SourceKind.ORDER:
            del self.fields["order_reference"]
        else:
            self.fields["order_reference"].required = True
        limit_choices(
            self,
            "lead_organization",
            Organization.objects.restrict(user, Action.CHANGE).order_by(kazakh_order()),
        )
        limit_choices(
            self, "co_executors", Organization.objects.restrict(user).order_by(kazakh_order())
        )
        self.fields["co_executors"].widget.attrs["size"] = 8
        limit_choices(
            self, "lead_person", Person.objects.restrict(user).order_by(kazakh_order("surname"))
        )
        controllers = (
            User.objects.filter(is_active=True, role__in=CONTROLLER_ROLES)
            .filter(
                Q(territory__in=Territory.objects.restrict(user))
                | Q(organization__in=Organization.objects.restrict(user))
            )
            .select_related("person")
        )
        # The user and the present controller stay choosable whatever their role.
        keep = Q(pk__in=[user.pk, self.instance.controller_id or user.pk])
        limit_choices(
            self,
            "controller",
            User.objects.filter(Q(pk__in=controllers.values("pk")) | keep)
            .select_related("person")
            .order_by("person__surname", "username"),
        )
        if self.instance.pk is None:
            self.initial.setdefault("controller", user.pk)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind = data.get("deadline_kind")
        creating = self.instance.pk is None
        # Only the fields of the chosen kind of deadline are kept, so a rule and a date
        # never contradict each other.
        if kind != DeadlineKind.RECURRING:
            data["recurrence"], data["recurrence_day"], data["recurrence_until"] = "", None, None
        if kind != DeadlineKind.AFTER_LIFTING:
            data["days_after_lifting"] = None
        if kind == DeadlineKind.RECURRING and not data.get("recurrence"):
            self.add_error("recurrence", _("Choose monthly or quarterly."))
        if kind in (DeadlineKind.RECURRING, DeadlineKind.AFTER_LIFTING):
            # The next due date is the service's (recurrence) or the lifting's to set.
            data["deadline"] = None if creating else self.instance.deadline
        lead = data.get("lead_organization")
        if lead is not None and (creating or "lead_organization" in self.changed_data):
            self.instance.territory = lead.territory
        return data


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )
    attachments = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint or images; checked by their content."),
    )


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("return", _("Return"))], widget=forms.HiddenInput
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to return the report."),
    )


class ExtensionRequestForm(forms.Form):
    new_deadline = forms.DateField(label=_("New deadline"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExtensionDecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("grant", _("Grant")), ("refuse", _("Refuse"))], widget=forms.HiddenInput
    )
    answer = forms.CharField(
        label=_("Answer"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to refuse."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


DISCIPLINE_BY = [("organization", _("By organization")), ("territory", _("By city and district"))]


class DisciplineForm(forms.Form):
    """The discipline report's year and rows. Not a list's filters (kense.core.filters): the
    year is the period the report always has, and the rows say how it is grouped; neither
    narrows a list, and the report has no API."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, choices=[])
    by = forms.ChoiceField(label=_("Rows"), required=False, choices=DISCIPLINE_BY)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(year, str(year)) for year in range(this_year + 1, 2016, -1)]
        field.initial = this_year
