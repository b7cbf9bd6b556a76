from django.urls import path

from kense.events.views import emergencies, events, plans

app_name = "events"
urlpatterns = [
    # Events
    path("", events.event_list, name="event_list"),
    path("add/", events.event_edit, name="event_add"),
    path("calendar/", events.event_calendar, name="event_calendar"),
    path("<int:pk>/", events.event_detail, name="event_detail"),
    path("<int:pk>/edit/", events.event_edit, name="event_edit"),
    path("<int:pk>/held/", events.event_hold, name="event_hold"),
    path("<int:pk>/photos/", events.event_photos_add, name="event_photos_add"),
    path("<int:pk>/photos/<int:attachment_pk>/", events.event_photo, name="event_photo"),
    path("<int:pk>/postpone/", events.event_postpone, name="event_postpone"),
    path("<int:pk>/cancel/", events.event_cancel, name="event_cancel"),
    path("feed/<str:kind>/<int:pk>/<str:token>.ics", events.event_ics_feed, name="event_ics_feed"),
    # Work plans
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/add/", plans.plan_edit, name="plan_add"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/items/add/", plans.plan_item_edit, name="plan_item_add"),
    path("plans/<int:pk>/items/<int:item_pk>/", plans.plan_item_edit, name="plan_item_edit"),
    path(
        "plans/<int:pk>/items/<int:item_pk>/delete/",
        plans.plan_item_delete,
        name="plan_item_delete",
    ),
    path("plans/<int:pk>/submit/", plans.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/approve/", plans.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/return/", plans.plan_return, name="plan_return"),
    path("plans/<int:pk>/amend/", plans.plan_amend, name="plan_amend"),
    path("plans/<int:pk>/template/", plans.plan_template, name="plan_template"),
    path("plans/<int:pk>/upload/", plans.plan_upload, name="plan_upload"),
    path("plans/<int:pk>/versions/", plans.plan_versions, name="plan_versions"),
    # States of emergency
    path("emergencies/", emergencies.emergency_list, name="emergency_list"),
    path("emergencies/add/", emergencies.emergency_add, name="emergency_add"),
    path("emergencies/<int:pk>/", emergencies.emergency_detail, name="emergency_detail"),
    path(
        "emergencies/<int:pk>/postpone/",
        emergencies.emergency_postpone,
        name="emergency_postpone",
    ),
    path("emergencies/<int:pk>/lift/", emergencies.emergency_lift, name="emergency_lift"),
    path(
        "emergencies/<int:pk>/reschedule/",
        emergencies.emergency_reschedule,
        name="emergency_reschedule",
    ),
]
