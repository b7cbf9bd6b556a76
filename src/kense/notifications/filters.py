"""The log's filters, declared once (kense.core.filters)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kense.core.filters import ChoiceFilter, ListFilters
from kense.notifications.models import Channel, NotificationKind, Reason, SendStatus


class SendFilters(ListFilters):
    status = ChoiceFilter(SendStatus, label=_("Status"), lookup="status")
    reason = ChoiceFilter(Reason, label=_("Reason"), lookup="reason")
    channel = ChoiceFilter(Channel, label=_("Channel"), lookup="channel")
    kind = ChoiceFilter(NotificationKind, label=_("Kind"), lookup="notification__kind")
