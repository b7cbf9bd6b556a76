from django.urls import path

from kense.ideas import moderation_views, views

app_name = "ideas"
urlpatterns = [
    path("", views.idea_list, name="idea_list"),
    path("mine/", views.my_ideas, name="my_ideas"),
    path("propose/", views.idea_propose, name="idea_propose"),
    path("<int:pk>/", views.idea_detail, name="idea_detail"),
    path("<int:pk>/accept/", views.idea_accept, name="idea_accept"),
    path("<int:pk>/reject/", views.idea_reject, name="idea_reject"),
    path("<int:pk>/merge/", views.idea_merge, name="idea_merge"),
    # The moderation of residents' ideas (the open pages' ones) by the project office.
    path("<int:pk>/photo/", views.idea_photo, name="idea_photo"),
    path("moderation/", moderation_views.queue, name="moderation"),
    path("<int:pk>/review/", moderation_views.idea_review, name="idea_review"),
    path("<int:pk>/hide/", moderation_views.idea_hide, name="idea_hide"),
    path("<int:pk>/unhide/", moderation_views.idea_unhide, name="idea_unhide"),
    path("<int:pk>/redact/", moderation_views.idea_redact, name="idea_redact"),
    path("<int:pk>/block-address/", moderation_views.address_block, name="address_block"),
    path(
        "<int:pk>/files/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
]
