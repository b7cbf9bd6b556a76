"""Citizens' ideas on the open pages (kense.public includes these under public/ideas/, in
its `public` namespace: the names are public:idea_…)."""

from django.urls import path

from kense.ideas import public_views as views

urlpatterns = [
    path("", views.idea_list, name="idea_list"),
    path("new/", views.idea_new, name="idea_new"),
    path("address/", views.idea_address, name="idea_address"),
    path("address/code/", views.idea_code, name="idea_code"),
    path("mine/", views.idea_mine, name="idea_mine"),
    path("mine/forget/", views.idea_forget, name="idea_forget"),
    path("<int:pk>/", views.idea_detail, name="idea_detail"),
    path("<int:pk>/photo/", views.idea_photo, name="idea_photo"),
    path("<int:pk>/support/", views.idea_support, name="idea_support"),
    path("<int:pk>/withdraw/", views.idea_withdraw, name="idea_withdraw"),
]
