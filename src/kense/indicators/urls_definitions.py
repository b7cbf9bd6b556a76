from django.urls import path

from kense.indicators import views_definitions as views

urlpatterns = [
    path("", views.indicator_list, name="indicator_list"),
    path("add/", views.indicator_edit, name="indicator_add"),
    path("<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("targets/", views.target_list, name="target_list"),
    path("recompute/", views.recompute, name="recompute"),
]
