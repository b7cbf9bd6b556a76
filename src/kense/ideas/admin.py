from django.contrib import admin

from kense.ideas.models import CitizenAddress, Idea


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
        "citizen",
        "hidden_by",
    )
    search_fields = ("title",)


@admin.register(CitizenAddress)
class CitizenAddressAdmin(admin.ModelAdmin):
    # The office blocks from the moderation queue; here an administrator may unblock.
    list_display = ("email", "language", "confirmed_at", "blocked_at")
    list_filter = ("language",)
    raw_id_fields = ("blocked_by",)
    search_fields = ("email",)
