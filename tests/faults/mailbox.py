"""The fault test's mail server: Django's file backend (one file per connection, messages
separated by a line of dashes) that first notes the letter in `sending.log` and then takes
SEND_SECONDS, as a mail server does: a worker killed after the note is killed mid-send."""

from __future__ import annotations

import collections
import email
import time
from collections.abc import Sequence
from pathlib import Path

from django.core.mail import EmailMessage
from django.core.mail.backends import filebased

SEND_SECONDS = 0.1
SEPARATOR = b"\n" + b"-" * 79 + b"\n"


class SlowFileBackend(filebased.EmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            with open(Path(self.file_path).parent / "sending.log", "a") as log:
                log.write(",".join(message.to) + "\n")
            time.sleep(SEND_SECONDS)
        return super().send_messages(email_messages)


def sending(faults_dir: Path) -> int:
    """How many sends have started (delivered or not)."""
    log = faults_dir / "sending.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def delivered(faults_dir: Path) -> collections.Counter[str]:
    """The letters in the mailbox, counted by their addressee."""
    counts: collections.Counter[str] = collections.Counter()
    mail_dir = faults_dir / "mail"
    for path in sorted(mail_dir.iterdir()) if mail_dir.exists() else ():
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                counts[str(email.message_from_bytes(chunk)["To"])] += 1
    return counts
