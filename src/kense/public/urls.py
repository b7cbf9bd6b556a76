from django.urls import include, path

from kense.ideas import urls as ideas_urls
from kense.public import feeds, views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("places/<int:pk>/", views.territory, name="territory"),
    path("projects/<int:pk>/", views.project, name="project"),
    path("events/<int:pk>/", views.event, name="event"),
    path(
        "events/<int:pk>/photos/<int:attachment_pk>/<str:size>.jpg",
        views.event_photo,
        name="event_photo",
    ),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("guidelines/<int:pk>/", views.guideline, name="guideline"),
    path(
        "guidelines/<int:pk>/files/<int:version_pk>/",
        views.guideline_file,
        name="guideline_file",
    ),
    path("news/<int:pk>/", views.news, name="news"),
    path("ranking/<int:pk>/", views.ranking, name="ranking"),
    path("personal-data/", views.privacy, name="privacy"),
    # Subscriptions: the whole program's, and each place's.
    path("events.ics", feeds.events_ics, name="events_ics"),
    path("places/<int:pk>/events.ics", feeds.events_ics, name="place_events_ics"),
    path("news.atom", feeds.news_atom, name="news_atom"),
    path("places/<int:pk>/news.atom", feeds.news_atom, name="place_news_atom"),
    path("ideas.atom", feeds.ideas_atom, name="ideas_atom"),
    path("places/<int:pk>/ideas.atom", feeds.ideas_atom, name="place_ideas_atom"),
    path("decisions.atom", feeds.decisions_atom, name="decisions_atom"),
    path("places/<int:pk>/decisions.atom", feeds.decisions_atom, name="place_decisions_atom"),
    # Open data.
    path("data/", views.data, name="data"),
    path("data/<str:key>.<str:form>", views.data_download, name="data_download"),
    path("publish/<str:kind>/<int:pk>/", views.publish, name="publish"),
    path("ideas/", include(ideas_urls.public_urlpatterns)),
]
