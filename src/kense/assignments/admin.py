from django.contrib import admin

from kense.assignments.models import Assignment, Reminder
from kense.registry.admin import RegistryAdmin


@admin.register(Assignment)
class AssignmentAdmin(RegistryAdmin):
    list_display = ("number", "text", "lead_organization", "deadline", "status")
    list_filter = ("status", "deadline_kind", "priority")
    raw_id_fields = ("meeting", "decision", "lead_organization", "lead_person", "territory")


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("sent_at", "kind", "email", "assignment", "key")
    list_filter = ("kind",)
