from django.urls import path

from kense.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("bell/", views.bell, name="bell"),
    path("read/", views.mark_all_read, name="mark_all_read"),
    path("<int:pk>/", views.notification_open, name="notification_open"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path("settings/", views.preferences, name="preferences"),
    path("settings/telegram/code/", views.telegram_code, name="telegram_code"),
    path("settings/telegram/unlink/", views.telegram_unlink, name="telegram_unlink"),
    path("log/", views.send_log, name="send_log"),
]
