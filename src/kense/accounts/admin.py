from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from kense.accounts.models import ApiToken, User


@admin.register(User)
class KenseUserAdmin(UserAdmin):
    fieldsets = (
        *(UserAdmin.fieldsets or ()),  # Django's own are always there; the type allows None
        ("Kense", {"fields": ("role", "person", "territory", "organization", "language")}),
    )
    list_display = ("username", "role", "territory", "organization", "is_active")
    list_filter = ("role", "is_active")
    raw_id_fields = ("person", "territory", "organization")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
