"""Who is told (kense.notifications) when a document is sent to organizations: the accounts
of each recipient organization, each with a link to its acknowledgment page. Called by
`distribution_send` inside its transaction."""

from __future__ import annotations

from collections import defaultdict

from kense.accounts.models import User
from kense.core.permissions import ORGANIZATION_ROLES
from kense.documents.models import Distribution, Recipient
from kense.notifications.models import NotificationKind
from kense.notifications.services import notify


def distribution_sent(distribution: Distribution, *, actor: User) -> None:
    recipients = list(Recipient.objects.filter(distribution=distribution).order_by("pk"))
    users: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(
        organization__in=[recipient.organization_id for recipient in recipients],
        role__in=ORGANIZATION_ROLES,
        is_active=True,
    ).order_by("pk"):
        users[user.organization_id or 0].append(user)
    document = distribution.document
    for recipient in recipients:
        if users.get(recipient.organization_id):
            notify(
                NotificationKind.DOCUMENT_RECEIVED,
                recipients=users[recipient.organization_id],
                target=recipient,
                actor=actor,
                note=distribution.message,
                label=lambda: document.title,
            )
