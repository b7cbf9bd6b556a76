from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import PasswordResetForm

from kense.accounts.models import User
from kense.core.mail import send_templated_email


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset, with the e-mail in the user's language, sent by the worker."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user: User = context["user"]
        send_templated_email(
            to=[to_email],
            template="accounts/email/password_reset",
            context={
                "user": user,
                "reset_url": "{protocol}://{domain}{path}".format(
                    protocol=context["protocol"],
                    domain=context["domain"],
                    path=self.reset_path(context),
                ),
            },
            language=getattr(user, "language", "kk") or "kk",
        )

    @staticmethod
    def reset_path(context: dict[str, Any]) -> str:
        from django.urls import reverse
        from django.utils import translation

        with translation.override(getattr(context["user"], "language", "kk") or "kk"):
            return reverse(
                "accounts:password_reset_confirm",
                kwargs={"uidb64": context["uid"], "token": context["token"]},
            )
