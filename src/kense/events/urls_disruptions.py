from django.urls import path

from kense.events import disruption_views as views

urlpatterns = [
    path("disruptions/", views.disruption_list, name="disruption_list"),
    path("disruptions/add/", views.disruption_add, name="disruption_add"),
    path("disruptions/<int:pk>/", views.disruption_detail, name="disruption_detail"),
    path("disruptions/<int:pk>/postpone/", views.disruption_postpone, name="disruption_postpone"),
    path("disruptions/<int:pk>/lift/", views.disruption_lift, name="disruption_lift"),
    path(
        "disruptions/<int:pk>/reschedule/",
        views.disruption_reschedule,
        name="disruption_reschedule",
    ),
]
