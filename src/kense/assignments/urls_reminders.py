"""The reminder log's address; the lead includes these into the assignments namespace."""

from django.urls import path

from kense.assignments.reminder_views import reminder_log

urlpatterns = [
    path("reminders/", reminder_log, name="reminder_log"),
]
