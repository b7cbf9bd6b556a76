from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kense.accounts import services
from kense.accounts.auth import AuthenticatedRequest
from kense.accounts.models import ApiToken
from kense.meetings.feeds import calendar_token

PASSWORD_TITLE = _("Change password")
RESET_TITLE = _("Forgotten password")
RESET_SENT = _(
    "If an account has this e-mail address, a letter with a link to set a new password is on "
    "its way. The link works for three days."
)
RESET_DONE = _("Your new password is set. You can log in with it now.")


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
            _token, new_key = services.api_token_issue(user=request.user, name=name)
            messages.success(
                request, _("The token is created. Copy it now: it is shown only once.")
            )
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
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
    token = get_object_or_404(ApiToken, pk=pk, user_id=request.user.pk)
    services.api_token_revoke(token=token)
    messages.success(request, _("The token is revoked."))
    return redirect("accounts:profile")
