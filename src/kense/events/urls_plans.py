from django.urls import path

from kense.events import plan_views as views

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/add/", views.plan_edit, name="plan_add"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/items/add/", views.plan_item_edit, name="plan_item_add"),
    path("plans/<int:pk>/items/<int:item_pk>/", views.plan_item_edit, name="plan_item_edit"),
    path(
        "plans/<int:pk>/items/<int:item_pk>/delete/",
        views.plan_item_delete,
        name="plan_item_delete",
    ),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/return/", views.plan_return, name="plan_return"),
    path("plans/<int:pk>/amend/", views.plan_amend, name="plan_amend"),
    path("plans/<int:pk>/template/", views.plan_template, name="plan_template"),
    path("plans/<int:pk>/upload/", views.plan_upload, name="plan_upload"),
    path("plans/<int:pk>/versions/", views.plan_versions, name="plan_versions"),
]
