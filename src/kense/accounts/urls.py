from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from kense.accounts import views

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
        auth_views.PasswordChangeView.as_view(
            template_name="core/form.html",
            success_url=reverse_lazy("accounts:profile"),
            extra_context={
                "title": views.PASSWORD_TITLE,
                "cancel_url": reverse_lazy("accounts:profile"),
            },
        ),
        name="password_change",
    ),
    path("profile/", views.profile, name="profile"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
]
