from django.urls import path

from kense.media import views

app_name = "media"
urlpatterns = [
    path("", views.publication_list, name="publication_list"),
    path("add/", views.publication_edit, name="publication_add"),
    path("ingest/", views.ingest_article, name="ingest"),
    path("ingest/confirm/", views.ingest_confirm, name="ingest_confirm"),
    path("<int:pk>/", views.publication_detail, name="publication_detail"),
    path("<int:pk>/edit/", views.publication_edit, name="publication_edit"),
]
