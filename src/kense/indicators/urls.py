from kense.indicators import urls_definitions, urls_reports, urls_results

app_name = "indicators"
urlpatterns = [
    *urls_definitions.urlpatterns,
    *urls_reports.urlpatterns,
    *urls_results.urlpatterns,
]
