from django.urls import path

from kense.home import views

app_name = "home"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("search/", views.search, name="search"),
    path("choices/<slug:source>/", views.choices, name="choices"),
]
