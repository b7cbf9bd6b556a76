from django.contrib import admin

from kense.ideas.models import Idea


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "territory", "proposer", "created_at")
    list_filter = ("status",)
    raw_id_fields = (
        "territory",
        "direction",
        "proposer",
        "accepted_project",
        "accepted_event",
        "merged_into",
        "evaluated_by",
    )
    search_fields = ("title",)
