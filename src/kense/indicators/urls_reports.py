from django.urls import path

from kense.indicators import views_reports as views

urlpatterns = [
    path("forms/", views.form_list, name="form_list"),
    path("forms/add/", views.form_edit, name="form_add"),
    path("forms/<int:pk>/", views.form_detail, name="form_detail"),
    path("forms/<int:pk>/edit/", views.form_edit, name="form_edit"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/open/", views.report_open, name="report_open"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/approve/", views.report_approve, name="report_approve"),
    path("reports/<int:pk>/return/", views.report_return, name="report_return"),
    path("reports/<int:pk>/template/", views.report_template, name="report_template"),
    path("reports/<int:pk>/upload/", views.report_upload, name="report_upload"),
    path("reports/rates/", views.rates, name="rates"),
]
