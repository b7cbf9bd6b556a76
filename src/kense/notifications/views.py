"""Notification pages: the list (newest first, marked read), the bell's count, opening a
notification, the preferences with the Telegram link, and the log of sends."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kense.accounts.auth import AuthenticatedRequest
from kense.core.lists import Column, ListSpec, render_list
from kense.core.pagination import paginate
from kense.notifications import selectors, services, telegram
from kense.notifications.filters import SendFilters
from kense.notifications.forms import PreferencesForm
from kense.notifications.kinds import title_of
from kense.notifications.models import Notification, Reason, Send, SendStatus

PAGE_SIZE = 30


def target_link(notification: Notification) -> str:
    """The target's page, or "" when it is gone."""
    target = notification.target
    if target is None or not hasattr(target, "get_absolute_url"):
        return ""
    return str(target.get_absolute_url())


@login_required
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    unread = request.GET.get("unread") == "1"
    page = paginate(request, selectors.notifications_of(request.user, unread=unread), PAGE_SIZE)
    rows = [
        {
            "notification": notification,
            "title": title_of(notification),
            "note": notification.context.get("note", ""),
            "link": target_link(notification),
        }
        for notification in page.object_list
    ]
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "rows": rows,
            "unread": unread,
            "unread_count": selectors.unread_count(request.user),
            "query": "unread=1" if unread else "",
            "may_read_log": selectors.may_read_log(request.user),
        },
    )


@login_required
def bell(request: AuthenticatedRequest) -> HttpResponse:
    """The header's bell with the unread count (loaded by the page, so pages are not slowed)."""
    return render(
        request, "notifications/_bell.html", {"unread_count": selectors.unread_count(request.user)}
    )


@login_required
def notification_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to what it is about (the list when that is gone)."""
    notification = Notification.objects.filter(recipient=request.user, pk=pk).first()
    if notification is None:
        raise Http404
    services.mark_read(request.user, [notification.pk])
    return HttpResponseRedirect(
        target_link(notification) or reverse("notifications:notification_list")
    )


@login_required
@require_POST
def mark_read(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if not Notification.objects.filter(recipient=request.user, pk=pk).exists():
        raise Http404
    services.mark_read(request.user, [pk])
    return redirect("notifications:notification_list")


@login_required
@require_POST
def mark_all_read(request: AuthenticatedRequest) -> HttpResponse:
    count = services.mark_read(request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:notification_list")


@login_required
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, current=selectors.preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        services.preferences_save(request.user, form.timings())
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    link = services.telegram_code(request.user) if telegram.enabled() else None
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "link": link,
            "telegram": services.telegram_settings(),
        },
    )


@login_required
@require_POST
def telegram_code(request: AuthenticatedRequest) -> HttpResponse:
    """A new one-time code (the old one stops working)."""
    if telegram.enabled():
        services.telegram_code(request.user, renew=True)
    return redirect(reverse("notifications:preferences") + "#telegram")


@login_required
@require_POST
def telegram_unlink(request: AuthenticatedRequest) -> HttpResponse:
    services.telegram_unlink(request.user)
    messages.success(request, _("Telegram is unlinked: notifications no longer go there."))
    return redirect(reverse("notifications:preferences") + "#telegram")


NOT_YET_SENT = _("Not yet sent (%(attempts)s attempts)")


def _status(send: Send) -> str:
    """What came of a send, as the log says it: a send still queued after attempts says how
    many."""
    outcome = selectors.outcome_of(send)
    if outcome.status == SendStatus.QUEUED and outcome.attempts:
        return str(NOT_YET_SENT % {"attempts": outcome.attempts})
    return str(SendStatus(outcome.status).label)


def _reason(send: Send) -> str:
    reason = selectors.outcome_of(send).reason
    return str(Reason(reason).label) if reason else ""


@login_required
def send_log(request: AuthenticatedRequest) -> HttpResponse:
    """Who was notified by e-mail and Telegram, and who was not and why."""
    if not selectors.may_read_log(request.user):
        raise PermissionDenied
    spec = ListSpec(
        title=_("Notification log"),
        columns=[
            Column(_("Created"), lambda s: s.created_at),
            Column(_("Recipient"), lambda s: s.notification.recipient),
            Column(_("Notification"), lambda s: title_of(s.notification)),
            Column(_("Channel"), lambda s: s.get_channel_display()),
            Column(_("Status"), _status),
            Column(_("Reason"), _reason),
            Column(_("Attempts"), lambda s: selectors.outcome_of(s).attempts, numeric=True),
            Column(_("Error"), lambda s: s.error),
        ],
        rows=selectors.send_log,
        filters=SendFilters,
        export_name="notification-log",
    )
    return render_list(request, spec)
