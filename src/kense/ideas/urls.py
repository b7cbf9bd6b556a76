from django.urls import path

from kense.ideas import views

app_name = "ideas"
urlpatterns = [
    path("", views.idea_list, name="idea_list"),
    path("mine/", views.my_ideas, name="my_ideas"),
    path("propose/", views.idea_propose, name="idea_propose"),
    path("<int:pk>/", views.idea_detail, name="idea_detail"),
    path("<int:pk>/accept/", views.idea_accept, name="idea_accept"),
    path("<int:pk>/reject/", views.idea_reject, name="idea_reject"),
    path("<int:pk>/merge/", views.idea_merge, name="idea_merge"),
    path(
        "<int:pk>/files/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
]
