from django.urls import path

from kense.registry import imports, views

app_name = "registry"
urlpatterns = [
    path("territories/", views.territory_tree, name="territory_tree"),
    path("territories/list/", views.territory_list, name="territory_list"),
    path("territories/add/", views.territory_edit, name="territory_add"),
    path("territories/<int:pk>/", views.territory_detail, name="territory_detail"),
    path("territories/<int:pk>/edit/", views.territory_edit, name="territory_edit"),
    path("territories/<int:pk>/children/", views.territory_children, name="territory_children"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/add/", views.organization_edit, name="organization_add"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("people/", views.person_list, name="person_list"),
    path("people/add/", views.person_edit, name="person_add"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("appointments/add/", views.appointment_edit, name="appointment_add"),
    path("appointments/<int:pk>/edit/", views.appointment_edit, name="appointment_edit"),
    path("staffing/", views.staffing, name="staffing"),
    path("staffing/posts/add/", views.staff_post_edit, name="staff_post_add"),
    path("staffing/posts/<int:pk>/edit/", views.staff_post_edit, name="staff_post_edit"),
    path("import/<str:kind>/", imports.import_view, name="import"),
]
