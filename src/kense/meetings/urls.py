from django.urls import path

from kense.meetings import feeds, views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("add/", views.meeting_edit, name="meeting_add"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/state/", views.meeting_transition, name="meeting_transition"),
    path("<int:pk>/invite/", views.participants_invite, name="participants_invite"),
    path("<int:pk>/attendance/", views.attendance_all, name="attendance_all"),
    path("<int:pk>/items/add/", views.item_edit, name="item_add"),
    path("<int:pk>/items/<int:item_pk>/edit/", views.item_edit, name="item_edit"),
    path(
        "<int:pk>/items/<int:item_pk>/attachments/",
        views.attachment_upload,
        name="attachment_upload",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("<int:pk>/items/<int:item_pk>/minutes/", views.minutes_edit, name="minutes_edit"),
    path("<int:pk>/items/<int:item_pk>/decisions/add/", views.decision_edit, name="decision_add"),
    path("<int:pk>/decisions/<int:decision_pk>/edit/", views.decision_edit, name="decision_edit"),
    path(
        "<int:pk>/decisions/<int:decision_pk>/assignment/",
        views.assignment_add,
        name="assignment_add",
    ),
    path("<int:pk>/review/", views.review_propose, name="review_propose"),
    path("<int:pk>/review/<int:assignment_pk>/", views.review_decide, name="review_decide"),
    path("<int:pk>/review/decisions/", views.review_decide_all, name="review_decide_all"),
    path("<int:pk>/amendments/", views.amendment_add, name="amendment_add"),
    path("<int:pk>/next/", views.next_meeting, name="next_meeting"),
    path(
        "<int:pk>/minutes/<str:language>/<str:fmt>/",
        views.minutes_download,
        name="minutes_download",
    ),
    path(
        "<int:pk>/extract/<int:organization_pk>/<str:language>/",
        views.extract_download,
        name="extract_download",
    ),
    path("series/add/", views.series_add, name="series_add"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/add/", views.group_edit, name="group_add"),
    path("groups/<int:pk>/", views.group_edit, name="group_edit"),
]

# Calendar addresses, included by the project outside the language prefix (namespace
# "calendar"): a calendar application asks for the same address whatever language its owner
# reads.
calendar_urlpatterns = (
    [
        path("meeting/<int:pk>.ics", feeds.meeting_ics, name="meeting_ics"),
        path("<str:token>.ics", feeds.calendar_feed, name="calendar_feed"),
    ],
    "calendar",
)
