from django.urls import path

from kense.core import views

app_name = "core"
urlpatterns = [
    path(
        "history/<int:content_type_id>/<int:pk>/<int:history_id>/restore/",
        views.restore_version,
        name="restore_version",
    ),
    path("comments/<int:content_type_id>/<int:pk>/", views.add_comment, name="add_comment"),
]
