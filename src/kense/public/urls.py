from django.urls import include, path

from kense.public import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("places/<int:pk>/", views.territory, name="territory"),
    path("projects/<int:pk>/", views.project, name="project"),
    path("events/<int:pk>/", views.event, name="event"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("guidelines/<int:pk>/", views.guideline, name="guideline"),
    path(
        "guidelines/<int:pk>/files/<int:version_pk>/", views.guideline_file, name="guideline_file"
    ),
    path("news/<int:pk>/", views.news, name="news"),
    path("personal-data/", views.privacy, name="privacy"),
    path("publish/<str:kind>/<int:pk>/", views.publish, name="publish"),
    path("ideas/", include("kense.ideas.public_urls")),
]
