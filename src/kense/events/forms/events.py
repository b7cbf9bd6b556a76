"""Forms of events: editing one, the three ways it ends (held, postponed, cancelled) and the
list's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.core.attachments import MAX_PHOTOS_AT_ONCE, PHOTO_EXTENSIONS
from kense.core.forms import DateInput, MultipleFileField, limit_choices
from kense.core.lists import kazakh_order
from kense.events.models import Audience, Emergency, Event, EventStatus
from kense.events.selectors.emergencies import emergencies_for
from kense.events.services.events import number_warnings, participants_warning
from kense.programs.models import Program, Project
from kense.registry.models import Organization, Territory

CONFIRM_LABEL = _("I confirm this number")


def confirm_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=CONFIRM_LABEL,
        required=False,
        help_text=_("Needed when a number of people looks too large to be true."),
    )


def warn_numbers(form: forms.Form | forms.ModelForm, names: tuple[str, ...]) -> None:
    """Show the warning beside an absurd number along with the form's other errors, rather
    than only once everything else is right."""
    values = {name: form.cleaned_data.get(name) for name in names if name in form.fields}
    confirmed = bool(form.cleaned_data.get("confirm_numbers"))
    for name, error in number_warnings(values, confirmed=confirmed).items():
        form.add_error(name, error)


def _numbers_look_absurd(data: Any, names: tuple[str, ...]) -> bool:
    """Does the submitted data hold a number above the warning limit? Then the form offers
    the confirmation checkbox (it is hidden otherwise, so it is not ticked out of habit)."""
    if data is None:
        return False
    limit = participants_warning()
    for name in names:
        value = str(data.get(name) or "").strip()
        if value.isdigit() and int(value) > limit:
            return True
    return False


class EventForm(forms.ModelForm):
    audience = forms.MultipleChoiceField(
        label=_("Audience"),
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirm_numbers = confirm_field()

    class Meta:
        model = Event
        fields = [
            "title_kk",
            "title_ru",
            "title_en",
            "program",
            "project",
            "organizer",
            "co_organizers",
            "territory",
            "format",
            "venue",
            "latitude",
            "longitude",
            "link",
            "start",
            "end",
            "audience",
            "planned_reach",
            "budget",
            "sponsor_money",
            "beyond_plan",
        ]
        widgets = {"start": DateInput(), "end": DateInput()}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        organizations = Organization.objects.restrict(user).order_by(kazakh_order())
        limit_choices(self, "organizer", organizations)
        limit_choices(self, "co_organizers", organizations)
        self.fields["co_organizers"].widget.attrs["size"] = 6
        limit_choices(self, "territory", Territory.objects.restrict(user).order_by("path"))
        limit_choices(self, "program", Program.objects.restrict(user).order_by(kazakh_order()))
        projects = Project.objects.restrict(user).order_by(kazakh_order())
        limit_choices(self, "project", projects)
        names = ["planned_reach"]
        if self.instance.status == EventStatus.HELD:
            # A held event's numbers and outcome are corrected here, not through "held" again.
            for name in ("participants", "online_views", "outcome"):
                self.fields[name] = fields_for_model(Event, fields=[name])[name]
                self.initial[name] = getattr(self.instance, name)
                names.append(name)
        if not _numbers_look_absurd(self.data if self.is_bound else None, tuple(names)):
            del self.fields["confirm_numbers"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        warn_numbers(self, ("planned_reach", "participants", "online_views"))
        return data

    def _post_clean(self) -> None:
        for name in ("participants", "online_views", "outcome"):
            if name in self.fields and name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])
        super()._post_clean()  # type: ignore[misc]  # django-stubs omit _post_clean


class HoldForm(forms.Form):
    start = forms.DateField(label=_("Held from"), widget=DateInput())
    end = forms.DateField(label=_("Held to"), widget=DateInput())
    participants = forms.IntegerField(
        label=_("Participants in person"), min_value=0, required=False
    )
    online_views = forms.IntegerField(label=_("Online views"), min_value=0, required=False)
    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was done; links to photos and to the press coverage."),
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        help_text=_("Up to %(count)s pictures at once: %(types)s.")
        % {"count": MAX_PHOTOS_AT_ONCE, "types": ", ".join(PHOTO_EXTENSIONS)},
    )
    confirm_numbers = confirm_field()

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"start": event.start, "end": event.end})
        super().__init__(*args, **kwargs)
        if not _numbers_look_absurd(
            self.data if self.is_bound else None, ("participants", "online_views")
        ):
            del self.fields["confirm_numbers"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The event ends before it starts."))
        warn_numbers(self, ("participants", "online_views"))
        return data


class PostponeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    emergency: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Postponed because of"),
        required=False,
        queryset=Emergency.objects.none(),
        help_text=_("A declared disruption makes the postponement justified."),
    )
    after_lifting = forms.BooleanField(
        label=_("After the restrictions are lifted"),
        required=False,
        help_text=_("No new date yet: it resumes once the restrictions end."),
    )
    start = forms.DateField(label=_("New start"), required=False, widget=DateInput())
    end = forms.DateField(
        label=_("New end"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: the event keeps its length."),
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "emergency", emergencies_for(event))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The event ends before it starts."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
