"""What each kind of notification says: its sentence (some kinds have variants, e.g. an
extension granted or refused), rendered in the current language from the notification's
context."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kense.notifications.models import Notification, NotificationKind

SENTENCES: dict[tuple[str, str], Promise] = {
    (NotificationKind.ASSIGNMENT_NEW, ""): _("New assignment: %(object)s"),
    (NotificationKind.CO_EXECUTION, ""): _(
        "Your organization co-executes the assignment: %(object)s"
    ),
    (NotificationKind.REPORT_RETURNED, ""): _("The report was returned: %(object)s"),
    (NotificationKind.REPORT_ACCEPTED, ""): _("The report was accepted: %(object)s"),
    (NotificationKind.EXTENSION_DECIDED, "granted"): _("The extension was granted: %(object)s"),
    (NotificationKind.EXTENSION_DECIDED, "refused"): _("The extension was refused: %(object)s"),
    (NotificationKind.DOCUMENT_RECEIVED, ""): _("A new document to acknowledge: %(object)s"),
    (NotificationKind.MEETING_INVITATION, ""): _("You are invited to the meeting: %(object)s"),
    (NotificationKind.MEETING_CHANGED, ""): _("The meeting was changed: %(object)s"),
    (NotificationKind.MEETING_CHANGED, "moved"): _("The meeting was moved: %(object)s"),
    (NotificationKind.MEETING_CANCELLED, ""): _("The meeting was cancelled: %(object)s"),
    (NotificationKind.IDEA_ANSWERED, ""): _("Your idea was answered: %(object)s"),
}


def sentence(kind: str, variant: str = "") -> Promise:
    return SENTENCES.get((kind, variant)) or SENTENCES[(kind, "")]


def title_of(notification: Notification) -> str:
    """The notification's sentence in the current language."""
    context = notification.context or {}
    return str(sentence(notification.kind, context.get("variant", ""))) % {
        "object": context.get("object", "")
    }
