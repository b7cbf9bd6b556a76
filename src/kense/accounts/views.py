from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kense.accounts import selectors, services
from kense.accounts.auth import AuthenticatedRequest, client_address
from kense.accounts.models import ApiToken
from kense.meetings.feeds import calendar_token

PASSWORD_TITLE = _("Change password")
RESET_TITLE = _("Forgotten password")
RESET_SENT = _(
    "If an account has this e-mail address, a letter with a link to set a new password is on "
    "its way. The link works for three days."
)
RESET_DONE = _("Your new password is set. You can log in with it now.")
RESET_TOO_OFTEN = _(
    "Too many password reset requests from here. Try again in an hour, or ask the administrator."
)
PASSWORD_CHANGED = _(
    "Your password is changed. Your API tokens are revoked and your calendar has a new "
    "address: whoever had the old password may have taken them."
)


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    new_key = None
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[: ApiToken.NAME_MAX_LENGTH]
        if not name:
            messages.error(
                request, _("Give the token a name, such as the program that will use it.")
            )
        else:
            try:
                _token, new_key = services.api_token_issue(user=request.user, name=name)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, _("The token is created. Copy it now: it is shown only once.")
                )
    # Personal tokens only: the service tokens acting as this account are the project
    # office's to manage (API /service-tokens).
    tokens = selectors.personal_tokens(request.user)
    calendar_url = request.build_absolute_uri(
        reverse("calendar:calendar_feed", args=[calendar_token(request.user)])
    )
    return render(
        request,
        "accounts/profile.html",
        {"tokens": tokens, "new_key": new_key, "calendar_url": calendar_url},
    )


@login_required
@require_POST
def revoke_token(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(selectors.personal_tokens(request.user), pk=pk)
    services.api_token_revoke(token=token)
    messages.success(request, _("The token is revoked."))
    return redirect("accounts:profile")


@login_required
@require_POST
def renew_calendar(request: AuthenticatedRequest) -> HttpResponse:
    services.calendar_address_renew(user=request.user)
    messages.success(
        request,
        _(
            "Your calendar has a new address; the old one no longer works. Give the new one to "
            "your calendar program."
        ),
    )
    return redirect("accounts:profile")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, telling what else a new password changes."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, PASSWORD_CHANGED)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset with a limit on letters (see
    `services.password_reset_allowed`): the answer is the same whether or not a letter goes."""

    def form_valid(self, form: Any) -> HttpResponse:
        decision = services.password_reset_allowed(
            email=form.cleaned_data["email"], address=client_address(self.request) or None
        )
        if decision == "refuse":
            form.add_error(None, RESET_TOO_OFTEN)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if decision == "quiet":
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
