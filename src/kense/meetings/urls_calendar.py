"""Calendar addresses, included by the project outside the language prefix: a calendar
application asks for the same address whatever language its owner reads."""

from django.urls import path

from kense.meetings import feeds

app_name = "calendar"

urlpatterns = [
    path("meeting/<int:pk>.ics", feeds.meeting_ics, name="meeting_ics"),
    path("<str:token>.ics", feeds.calendar_feed, name="calendar_feed"),
]
