from django.urls import path

from kense.ideas.views import ideas as views
from kense.ideas.views import moderation, public

app_name = "ideas"
urlpatterns = [
    path("", views.idea_list, name="idea_list"),
    path("mine/", views.my_ideas, name="my_ideas"),
    path("propose/", views.idea_propose, name="idea_propose"),
    path("<int:pk>/", views.idea_detail, name="idea_detail"),
    path("<int:pk>/accept/", views.idea_accept, name="idea_accept"),
    path("<int:pk>/reject/", views.idea_reject, name="idea_reject"),
    path("<int:pk>/merge/", views.idea_merge, name="idea_merge"),
    path("<int:pk>/photo/", views.idea_photo, name="idea_photo"),
    # The moderation of residents' ideas (the open pages' ones) by the project office.
    path("moderation/", moderation.queue, name="moderation"),
    path("<int:pk>/review/", moderation.idea_review, name="idea_review"),
    path("<int:pk>/hide/", moderation.idea_hide, name="idea_hide"),
    path("<int:pk>/unhide/", moderation.idea_unhide, name="idea_unhide"),
    path("<int:pk>/redact/", moderation.idea_redact, name="idea_redact"),
    path("<int:pk>/block-address/", moderation.address_block, name="address_block"),
    path(
        "<int:pk>/files/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
]

# Residents' ideas on the open pages: kense.public includes them under public/ideas/, in its
# `public` namespace (public:idea_…), as the calendar feeds of meetings are included.
public_urlpatterns = [
    path("", public.idea_list, name="idea_list"),
    path("new/", public.idea_new, name="idea_new"),
    path("address/", public.idea_address, name="idea_address"),
    path("address/code/", public.idea_code, name="idea_code"),
    path("mine/", public.idea_mine, name="idea_mine"),
    path("mine/forget/", public.idea_forget, name="idea_forget"),
    path("<int:pk>/", public.idea_detail, name="idea_detail"),
    path("<int:pk>/photo/", public.idea_photo, name="idea_photo"),
    path("<int:pk>/support/", public.idea_support, name="idea_support"),
    path("<int:pk>/withdraw/", public.idea_withdraw, name="idea_withdraw"),
]
