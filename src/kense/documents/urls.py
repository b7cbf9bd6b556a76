from django.urls import path

from kense.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.library, name="library"),
    path("add/", views.document_edit, name="document_add"),
    path("<int:pk>/", views.document_detail, name="document_detail"),
    path("<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("<int:pk>/versions/add/", views.version_upload, name="version_upload"),
    path(
        "<int:pk>/versions/<int:version_pk>/download/",
        views.version_download,
        name="version_download",
    ),
    path("<int:pk>/send/", views.distribution_send, name="distribution_send"),
    path("<int:pk>/tracking/", views.tracking, name="tracking"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.acknowledge, name="acknowledge"),
    path(
        "inbox/<int:pk>/attachments/<int:attachment_pk>/",
        views.report_attachment_download,
        name="report_attachment_download",
    ),
]
