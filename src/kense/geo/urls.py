from django.urls import path

from kense.geo import views

app_name = "geo"
urlpatterns = [
    path("", views.territory_map_page, name="map"),
    path("boundaries/import/", views.boundaries_import_page, name="boundaries_import"),
    path("boundaries.geojson", views.boundaries_export, name="boundaries_export"),
]
