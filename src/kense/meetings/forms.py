"""Meeting forms: related choices narrowed to the user's scope; services do the checking that
needs the database (a person invited twice, a locked meeting, a stale save of the minutes)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.assignments.models import (
    MAX_DAYS_AFTER_LIFTING,
    Assignment,
    DeadlineKind,
    ReviewChoice,
)
from kense.core.forms import DateInput, limit_choices
from kense.core.lists import kazakh_order
from kense.meetings import selectors
from kense.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    InvitationGroup,
    Meeting,
    MeetingSeries,
    Participant,
    ParticipantRole,
)
from kense.programs.models import Program, Project
from kense.registry.models import (
    Organization,
    OrganizationKind,
    Person,
    Territory,
    TerritoryKind,
)


class DateTimeLocalInput(forms.DateTimeInput):
    """A browser's date-and-time picker; the value is local time (Asia/Almaty)."""

    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def formal_name(person: Any) -> str:
    return person.formal_name


def _people_field(form: forms.BaseForm, name: str, user: User) -> None:
    limit_choices(form, name, selectors.people_for(user))
    field = form.fields[name]
    # Every people field is a ModelChoiceField: its instance takes the label function (the
    # stubs know only a Field here, and would not let a method be replaced anyway).
    field.label_from_instance = formal_name  # type: ignore[attr-defined]


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "title_kk",
            "title_ru",
            "title_en",
            "kind",
            "format",
            "venue",
            "latitude",
            "longitude",
            "video_url",
            "video_meeting_id",
            "video_passcode",
            "start",
            "end",
            "chair",
            "secretary",
            "organizer",
            "territory",
            "programs",
            "projects",
            "series",
            "protocol_number",
        ]
        widgets = {"start": DateTimeLocalInput(), "end": DateTimeLocalInput()}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("chair", "secretary"):
            _people_field(self, name, user)
        limit_choices(
            self, "organizer", Organization.objects.restrict(user).order_by(kazakh_order())
        )
        limit_choices(self, "territory", Territory.objects.restrict(user).order_by("path"))
        limit_choices(self, "programs", Program.objects.restrict(user).order_by(kazakh_order()))
        limit_choices(self, "projects", Project.objects.restrict(user).order_by(kazakh_order()))
        limit_choices(self, "series", MeetingSeries.objects.order_by(kazakh_order("title")))
        for name in ("programs", "projects"):
            self.fields[name].widget.attrs["size"] = 6
        self.fields["video_url"].help_text = _(
            "Zoom, Teams…: required for an online or hybrid meeting."
        )


class InviteForm(forms.Form):
    people: forms.ModelMultipleChoiceField[Person] = forms.ModelMultipleChoiceField(
        label=_("People"), required=False, queryset=Person.objects.none()
    )
    groups: forms.ModelMultipleChoiceField[InvitationGroup] = forms.ModelMultipleChoiceField(
        label=_("Groups"),
        required=False,
        queryset=InvitationGroup.objects.none(),
        help_text=_("Each group expands to the holders of its post on the meeting's date."),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=ParticipantRole.choices, initial=ParticipantRole.MEMBER
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _people_field(self, "people", user)
        limit_choices(self, "groups", selectors.invitation_groups())
        self.fields["people"].widget.attrs["size"] = 8
        self.fields["groups"].widget.attrs["size"] = 4

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("people") and not data.get("groups"):
            raise forms.ValidationError(_("Choose somebody or a group to invite."))
        return data


class AttendanceSheetForm(forms.Form):
    """The attendance of every participant in one form, a row each (attendance-<pk>,
    online-<pk>, replaced_by-<pk>), or everyone present at once (the button "all_present").
    The people a deputy may be are the page's list, so a row's check reads no database."""

    def __init__(
        self, *args: Any, participants: list[Participant], people: list[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.participants = participants
        self.people = {str(person.pk): person for person in people}
        deputies = [("", "—"), *((key, p.formal_name) for key, p in self.people.items())]
        for participant in participants:
            key = participant.pk
            self.fields[f"attendance-{key}"] = forms.ChoiceField(
                label=_("Attendance"), choices=Attendance.choices
            )
            self.fields[f"online-{key}"] = forms.BooleanField(label=_("Online"), required=False)
            self.fields[f"replaced_by-{key}"] = forms.ChoiceField(
                label=_("Replaced by"), choices=deputies, required=False
            )

    def marks(self) -> list[tuple[Participant, str, bool, Person | None]]:
        """(participant, attendance, online, replaced_by) of each row, for
        services.attendance_record_all."""
        everyone = bool(self.data.get("all_present"))
        data = self.cleaned_data
        return [
            (
                participant,
                Attendance.PRESENT if everyone else data[f"attendance-{participant.pk}"],
                data[f"online-{participant.pk}"],
                None if everyone else self.people.get(data[f"replaced_by-{participant.pk}"]),
            )
            for participant in self.participants
        ]


class InvitationGroupForm(forms.ModelForm):
    organization_kinds = forms.MultipleChoiceField(
        label=_("Organization types"),
        required=False,
        choices=OrganizationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: organizations of every type."),
    )
    territory_kinds = forms.MultipleChoiceField(
        label=_("Territory types"),
        required=False,
        choices=TerritoryKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: territories of every type."),
    )

    class Meta:
        model = InvitationGroup
        fields = [
            "name_kk",
            "name_ru",
            "name_en",
            "position",
            "organization_kinds",
            "territory",
            "territory_kinds",
        ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "territory", Territory.objects.restrict(user).order_by("path"))
        self.fields["territory"].help_text = _("Empty: everywhere.")


class PreviewDateForm(forms.Form):
    on = forms.DateField(label=_("Who holds the post on"), required=False, widget=DateInput())


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "title_kk",
            "title_ru",
            "title_en",
            "order",
            "duration_minutes",
            "speakers",
            "projects",
            "closed",
        ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _people_field(self, "speakers", user)
        limit_choices(self, "projects", Project.objects.restrict(user).order_by(kazakh_order()))
        self.fields["order"].required = False
        self.fields["order"].help_text = _("Empty: at the end of the agenda.")
        for name in ("speakers", "projects"):
            self.fields[name].widget.attrs["size"] = 6

    def clean_order(self) -> int:
        return self.cleaned_data.get("order") or 0


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, DOCX, PPTX, XLSX, PNG or JPEG; checked by content.")
    )


MINUTES_FIELDS = ("heard_kk", "heard_ru", "discussion_kk", "discussion_ru")


class MinutesForm(forms.Form):
    heard_kk = forms.CharField(
        label=_("Heard (in Kazakh)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4, "lang": "kk"}),
    )
    heard_ru = forms.CharField(
        label=_("Heard (in Russian)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4, "lang": "ru"}),
    )
    discussion_kk = forms.CharField(
        label=_("Discussion (in Kazakh)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3, "lang": "kk"}),
    )
    discussion_ru = forms.CharField(
        label=_("Discussion (in Russian)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3, "lang": "ru"}),
    )
    # The minutes revision the editor started from: a save from an older one is refused.
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    @classmethod
    def for_item(cls, item: AgendaItem, revision: int) -> MinutesForm:
        initial: dict[str, Any] = {name: getattr(item, name) or "" for name in MINUTES_FIELDS}
        initial["revision"] = revision
        return cls(initial=initial, auto_id=f"minutes{item.pk}-%s")


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["number", "text_kk", "text_ru"]
        widgets = {
            "text_kk": forms.Textarea(attrs={"rows": 3, "lang": "kk"}),
            "text_ru": forms.Textarea(attrs={"rows": 3, "lang": "ru"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False
        self.fields["number"].help_text = _("Empty: the next number.")

    def clean_number(self) -> int:
        return self.cleaned_data.get("number") or 0


class AssignmentForm(forms.ModelForm):
    """A meeting's decision made into an assignment under control."""

    class Meta:
        model = Assignment
        fields = [
            "number",
            "text_kk",
            "text_ru",
            "lead_organization",
            "lead_person",
            "co_executors",
            "territory",
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
            "deadline_kind": forms.RadioSelect,
            "text_kk": forms.Textarea(attrs={"rows": 3, "lang": "kk"}),
            "text_ru": forms.Textarea(attrs={"rows": 3, "lang": "ru"}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organizations = Organization.objects.restrict(user).order_by(kazakh_order())
        limit_choices(self, "lead_organization", organizations)
        limit_choices(self, "co_executors", organizations)
        _people_field(self, "lead_person", user)
        limit_choices(self, "territory", Territory.objects.restrict(user).order_by("path"))
        limit_choices(self, "controller", selectors.controllers())
        self.fields["territory"].required = False
        self.fields["territory"].help_text = _("Empty: the lead organization's territory.")
        self.fields["co_executors"].widget.attrs["size"] = 6
        # A model field with choices gets a (Typed)ChoiceField.
        cast(forms.ChoiceField, self.fields["deadline_kind"]).choices = DeadlineKind.choices
        self.fields["deadline_kind"].label = _("Kind of deadline")
        self.fields["deadline_reason"].help_text = _("Only when the deadline date is already past.")


class ReviewForm(forms.Form):
    choice = forms.ChoiceField(label=_("Decision"), choices=ReviewChoice.choices)
    new_deadline = forms.DateField(label=_("New deadline"), required=False, widget=DateInput())
    days_after_lifting = forms.IntegerField(
        label=_("Days after the emergency is lifted"),
        required=False,
        min_value=1,
        max_value=MAX_DAYS_AFTER_LIFTING,
        help_text=_("For an extension until after the emergency is lifted."),
    )
    new_lead_organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("New lead organization"), required=False, queryset=Organization.objects.none()
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "new_lead_organization",
            Organization.objects.restrict(user).order_by(kazakh_order()),
        )


# The decisions the meeting page's review form offers; the others need more than a date and a
# reason (a new lead organization, days after a lifting) and have the full form (ReviewForm).
SHEET_CHOICES = (ReviewChoice.ACCEPT, ReviewChoice.EXTEND, ReviewChoice.KEEP)


class ReviewSheetForm(forms.Form):
    """The meeting's decisions on its open earlier assignments in one form: a row each
    (choice-<pk>, new_deadline-<pk>, note-<pk>); a row left without a decision is not decided."""

    def __init__(self, *args: Any, assignments: list[Assignment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assignments = assignments
        choices = [("", _("no decision now"))] + [
            (choice.value, choice.label) for choice in SHEET_CHOICES
        ]
        for assignment in assignments:
            key = assignment.pk
            self.fields[f"choice-{key}"] = forms.ChoiceField(
                label=_("Decision"), choices=choices, required=False
            )
            self.fields[f"new_deadline-{key}"] = forms.DateField(
                label=_("New deadline"), required=False, widget=DateInput()
            )
            self.fields[f"note-{key}"] = forms.CharField(
                label=_("Reason"), required=False, max_length=5000
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.decisions():
            raise forms.ValidationError(_("Choose a decision on at least one assignment."))
        return data

    def decisions(self) -> list[dict[str, Any]]:
        """The rows with a decision, as keyword arguments of assignments' review_record."""
        data = self.cleaned_data
        return [
            {
                "assignment": assignment,
                "choice": data[f"choice-{assignment.pk}"],
                "new_deadline": data.get(f"new_deadline-{assignment.pk}"),
                "note": data.get(f"note-{assignment.pk}") or "",
            }
            for assignment in self.assignments
            if data.get(f"choice-{assignment.pk}")
        ]


class AmendmentForm(forms.Form):
    text = forms.CharField(
        label=_("Amendment"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )


class NextMeetingForm(forms.Form):
    start = forms.DateTimeField(label=_("Start"), widget=DateTimeLocalInput())
    end = forms.DateTimeField(label=_("End"), widget=DateTimeLocalInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The meeting ends before it starts."))
        return data


class SeriesForm(forms.ModelForm):
    class Meta:
        model = MeetingSeries
        fields = ["title_kk", "title_ru", "title_en", "recurrence"]
