from django.contrib import admin

from kense.documents.models import Distribution, Document, DocumentVersion, Recipient
from kense.registry.admin import RegistryAdmin


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    fields = ("language", "number", "file", "change_note", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Document)
class DocumentAdmin(RegistryAdmin):
    list_display = ("title", "kind", "created_at")
    list_filter = ("kind",)
    raw_id_fields = ("author_person", "author_organization", "created_by")
    inlines = [VersionInline]


@admin.register(Distribution)
class DistributionAdmin(admin.ModelAdmin):
    list_display = ("document", "mode", "deadline", "sent_at")
    raw_id_fields = ("document", "territory", "sent_by")


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin):
    list_display = ("distribution", "organization", "acknowledged_at")
    raw_id_fields = ("distribution", "organization", "acknowledged_by")
