"""Background jobs of the document library, run by the worker (db_worker)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from kense.documents.reminders import send_reminders


@task()
def document_reminders(today_iso: str | None = None) -> int:
    """Remind the recipients who have not acknowledged a document (idempotent: a second run
    on the same day sends nothing twice). Returns how many letters were queued."""
    today = datetime.date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    return send_reminders(today)
