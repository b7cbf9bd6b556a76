from django.urls import path

from kense.assignments import views

app_name = "assignments"
urlpatterns = [
    path("", views.assignment_list, name="assignment_list"),
    path("new/", views.assignment_edit, name="assignment_add"),
    path("inbox/", views.inbox, name="inbox"),
    path("review/", views.review_queue, name="review_queue"),
    path("discipline/", views.discipline, name="discipline"),
    path("<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("<int:pk>/edit/", views.assignment_edit, name="assignment_edit"),
    path("<int:pk>/report/", views.report_submit, name="report_submit"),
    path("<int:pk>/extension/", views.extension_request, name="extension_request"),
    path("<int:pk>/withdraw/", views.assignment_withdraw, name="assignment_withdraw"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("files/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("reminders/", views.reminder_log, name="reminder_log"),
]
