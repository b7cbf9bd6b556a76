from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from kense.accounts import views
from kense.accounts.forms import QueuedPasswordResetForm

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        views.PasswordChangeView.as_view(
            template_name="core/form.html",
            success_url=reverse_lazy("accounts:profile"),
            extra_context={
                "title": views.PASSWORD_TITLE,
                "cancel_url": reverse_lazy("accounts:profile"),
            },
        ),
        name="password_change",
    ),
    path(
        "password/reset/",
        views.PasswordResetView.as_view(
            form_class=QueuedPasswordResetForm,
            template_name="core/form.html",
            success_url=reverse_lazy("accounts:password_reset_done"),
            extra_context={
                "title": views.RESET_TITLE,
                "cancel_url": reverse_lazy("accounts:login"),
            },
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/message.html",
            extra_context={"title": views.RESET_TITLE, "message": views.RESET_SENT},
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="core/form.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
            extra_context={
                "title": views.RESET_TITLE,
                "cancel_url": reverse_lazy("accounts:login"),
            },
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/message.html",
            extra_context={"title": views.RESET_TITLE, "message": views.RESET_DONE},
        ),
        name="password_reset_complete",
    ),
    path("profile/", views.profile, name="profile"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
    path("calendar/renew/", views.renew_calendar, name="renew_calendar"),
]
