from django.urls import path

from kense.indicators.views import definitions as definition_views
from kense.indicators.views import reports as report_views
from kense.indicators.views import results as result_views

app_name = "indicators"
urlpatterns = [
    # Definitions: indicators, their targets, the recompute button.
    path("", definition_views.indicator_list, name="indicator_list"),
    path("add/", definition_views.indicator_edit, name="indicator_add"),
    path("<int:pk>/", definition_views.indicator_detail, name="indicator_detail"),
    path("<int:pk>/edit/", definition_views.indicator_edit, name="indicator_edit"),
    path("targets/", definition_views.target_list, name="target_list"),
    path("recompute/", definition_views.recompute, name="recompute"),
    # Reports: report forms, periodic reports, reporting rates.
    path("forms/", report_views.form_list, name="form_list"),
    path("forms/add/", report_views.form_edit, name="form_add"),
    path("forms/<int:pk>/", report_views.form_detail, name="form_detail"),
    path("forms/<int:pk>/edit/", report_views.form_edit, name="form_edit"),
    path("reports/", report_views.report_list, name="report_list"),
    path("reports/open/", report_views.report_open, name="report_open"),
    path("reports/<int:pk>/", report_views.report_detail, name="report_detail"),
    path("reports/<int:pk>/submit/", report_views.report_submit, name="report_submit"),
    path("reports/<int:pk>/approve/", report_views.report_approve, name="report_approve"),
    path("reports/<int:pk>/return/", report_views.report_return, name="report_return"),
    path("reports/<int:pk>/template/", report_views.report_template, name="report_template"),
    path("reports/<int:pk>/upload/", report_views.report_upload, name="report_upload"),
    path("reports/rates/", report_views.rates, name="rates"),
    # Results: the results table, the ranking, trends, the passport, methodologies.
    path("results/", result_views.results_page, name="results"),
    path("results/pdf/", result_views.results_pdf, name="results_pdf"),
    path("results/xlsx/", result_views.results_xlsx, name="results_xlsx"),
    path("ranking/", result_views.ranking_page, name="ranking"),
    path("trends/", result_views.trends_page, name="trends"),
    path("trends/territories/", result_views.small_multiples, name="small_multiples"),
    path("passport/<int:pk>/", result_views.passport_page, name="passport"),
    path("methodologies/", result_views.methodology_list, name="methodology_list"),
    path("methodologies/new/", result_views.methodology_edit, name="methodology_add"),
    path("methodologies/<int:pk>/", result_views.methodology_detail, name="methodology_detail"),
    path("methodologies/<int:pk>/edit/", result_views.methodology_edit, name="methodology_edit"),
]
