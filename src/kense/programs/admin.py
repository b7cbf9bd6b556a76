from django.contrib import admin

from kense.programs.models import Direction, Program, Project
from kense.registry.admin import RegistryAdmin


@admin.register(Program)
class ProgramAdmin(RegistryAdmin):
    list_display = ("name", "code", "status", "start", "end")


@admin.register(Direction)
class DirectionAdmin(RegistryAdmin):
    list_display = ("name", "program", "status")


@admin.register(Project)
class ProjectAdmin(RegistryAdmin):
    list_display = ("name", "program", "status", "territory")
    list_filter = ("status", "program")
    raw_id_fields = ("territory", "lead_organization", "parent")
    filter_horizontal = ("co_executors",)
