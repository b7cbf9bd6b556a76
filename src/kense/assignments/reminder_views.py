"""The log of reminders and digests: who was sent which letter, when, about what."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from kense.assignments.models import Reminder, ReminderKind
from kense.assignments.reminders import reminders_visible_to
from kense.core.lists import Column, ListSpec, render_list


class ReminderFilter(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "—"), *ReminderKind.choices], required=False
    )
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def filter_reminders(queryset: QuerySet[Reminder], data: dict[str, Any]) -> QuerySet[Reminder]:
    if data.get("kind"):
        queryset = queryset.filter(kind=data["kind"])
    if data.get("date"):
        queryset = queryset.filter(sent_at__date=data["date"])  # the local day (USE_TZ)
    return queryset


@login_required
def reminder_log(request: HttpRequest) -> HttpResponse:
    spec = ListSpec(
        title=_("Reminders sent"),
        columns=[
            Column(_("Sent"), lambda r: r.sent_at),
            Column(_("Kind"), lambda r: r.get_kind_display()),
            Column(_("Recipient"), lambda r: r.recipient),
            Column(_("E-mail"), lambda r: r.email),
            Column(_("Assignment"), lambda r: r.assignment),
            Column(_("Key"), lambda r: r.key),
        ],
        queryset=lambda r: reminders_visible_to(r.user).select_related(
            "recipient__person", "assignment"
        ),
        filter_form=ReminderFilter,
        apply_filters=filter_reminders,
        export_name="reminders",
    )
    return render_list(request, spec)
