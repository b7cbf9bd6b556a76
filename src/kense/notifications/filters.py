"""The filters of the logs of sends, declared once (kense.core.filters). A send's status and
reason are what came of it (`outcome`, `outcome_reason`, annotated by the selectors): an
e-mail whose letter went is sent, though its own row still says queued."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kense.core.filters import ChoiceFilter, ListFilters
from kense.notifications.models import Channel, NotificationKind, Reason, SendStatus


class SendFilters(ListFilters):
    status = ChoiceFilter(
        SendStatus,
        label=_("Status"),
        lookup="outcome",
        description="What came of the send: an e-mail is sent once the mail server took it.",
    )
    reason = ChoiceFilter(
        Reason,
        label=_("Reason"),
        lookup="outcome_reason",
        description="Why it was not sent, or failed.",
    )
    channel = ChoiceFilter(Channel, label=_("Channel"), lookup="channel")
    kind = ChoiceFilter(NotificationKind, label=_("Kind"), lookup="notification__kind")
