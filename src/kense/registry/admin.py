"""The Django admin is for administrators only (who see everything anyway)."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from kense.registry.models import Appointment, Organization, Person, Position, StaffPost, Territory


class RegistryAdmin(SimpleHistoryAdmin, TranslationAdmin):
    pass


@admin.register(Territory)
class TerritoryAdmin(RegistryAdmin):
    list_display = ("name", "kind", "parent", "kato", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("name_kk", "name_ru", "kato")


@admin.register(Organization)
class OrganizationAdmin(RegistryAdmin):
    list_display = ("name", "kind", "territory", "parent")
    list_filter = ("kind",)
    search_fields = ("name_kk", "name_ru", "bin")
    raw_id_fields = ("territory", "parent")


@admin.register(Person)
class PersonAdmin(RegistryAdmin):
    list_display = ("surname", "given_name", "patronymic", "academic_degree")
    search_fields = ("surname_kk", "surname_ru", "given_name_kk")


@admin.register(Position)
class PositionAdmin(RegistryAdmin):
    list_display = ("code", "name")


@admin.register(StaffPost)
class StaffPostAdmin(RegistryAdmin):
    list_display = ("organization", "position", "title", "employment")
    raw_id_fields = ("organization",)


@admin.register(Appointment)
class AppointmentAdmin(RegistryAdmin):
    list_display = ("person", "organization", "position", "start", "end")
    raw_id_fields = ("person", "organization", "post")
