from django.urls import path

from kense.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.program_list, name="program_list"),
    path("add/", views.program_edit, name="program_add"),
    path("<int:pk>/", views.program_detail, name="program_detail"),
    path("<int:pk>/edit/", views.program_edit, name="program_edit"),
    path("directions/add/", views.direction_edit, name="direction_add"),
    path("directions/<int:pk>/", views.direction_detail, name="direction_detail"),
    path("directions/<int:pk>/edit/", views.direction_edit, name="direction_edit"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/add/", views.project_edit, name="project_add"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
]
