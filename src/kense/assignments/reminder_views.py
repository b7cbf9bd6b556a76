"""The log of reminders and digests: who was sent which letter, when, about what."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from kense.accounts.auth import AuthenticatedRequest
from kense.assignments import selectors
from kense.assignments.filters import ReminderFilters
from kense.core.lists import Column, ListSpec, render_list


@login_required
def reminder_log(request: AuthenticatedRequest) -> HttpResponse:
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
        rows=selectors.reminder_log,
        filters=ReminderFilters,
        export_name="reminders",
    )
    return render_list(request, spec)
