from django.urls import path

from kense.events import views

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("add/", views.event_edit, name="event_add"),
    path("calendar/", views.event_calendar, name="event_calendar"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("<int:pk>/held/", views.event_hold, name="event_hold"),
    path("<int:pk>/postpone/", views.event_postpone, name="event_postpone"),
    path("<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("feed/<str:kind>/<int:pk>/<str:token>.ics", views.event_ics_feed, name="event_ics_feed"),
]
