from django.urls import path

from kense.sites import imports, views

app_name = "sites"
urlpatterns = [
    path("", views.site_list, name="site_list"),
    path("add/", views.site_edit, name="site_add"),
    path("import/", imports.import_view, name="site_import"),
    path("<int:pk>/", views.site_detail, name="site_detail"),
    path("<int:pk>/edit/", views.site_edit, name="site_edit"),
    path("<int:pk>/photos/<int:attachment_pk>/", views.photo_download, name="photo_download"),
]
