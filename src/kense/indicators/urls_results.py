from django.urls import path

from kense.indicators import views_results as views

urlpatterns = [
    path("results/", views.results_page, name="results"),
    path("results/pdf/", views.results_pdf, name="results_pdf"),
    path("results/xlsx/", views.results_xlsx, name="results_xlsx"),
    path("ranking/", views.ranking_page, name="ranking"),
    path("trends/", views.trends_page, name="trends"),
    path("trends/territories/", views.small_multiples, name="small_multiples"),
    path("passport/<int:pk>/", views.passport_page, name="passport"),
    path("methodologies/", views.methodology_list, name="methodology_list"),
    path("methodologies/new/", views.methodology_edit, name="methodology_add"),
    path("methodologies/<int:pk>/", views.methodology_detail, name="methodology_detail"),
    path("methodologies/<int:pk>/edit/", views.methodology_edit, name="methodology_edit"),
]
