from django.contrib import admin

from kense.meetings.models import InvitationGroup, Meeting, MeetingSeries
from kense.registry.admin import RegistryAdmin


@admin.register(Meeting)
class MeetingAdmin(RegistryAdmin):
    list_display = ("title", "kind", "format", "start", "state", "territory")
    list_filter = ("state", "kind", "format")
    raw_id_fields = ("chair", "secretary", "organizer", "territory", "series")


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(RegistryAdmin):
    list_display = ("title", "recurrence")


@admin.register(InvitationGroup)
class InvitationGroupAdmin(RegistryAdmin):
    list_display = ("name", "position", "territory")
