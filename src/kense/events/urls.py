from kense.events import urls_disruptions, urls_events, urls_plans

app_name = "events"
urlpatterns = [
    *urls_events.urlpatterns,
    *urls_plans.urlpatterns,
    *urls_disruptions.urlpatterns,
]
