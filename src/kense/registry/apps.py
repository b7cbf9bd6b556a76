from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "kense.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from kense.core.menu import (
            EVERY_ROLE,
            REGISTRY,
            TERRITORY_ROLES,
            MenuItem,
            register_menu_item,
        )
        from kense.core.permissions import Role
        from kense.registry.selectors import TREES

        # Users' scopes are kept until a territory or an organization changes.
        TREES.connect()

        # The menu's entries of this app (kense.core.menu). A department or an institution
        # walks no territory tree; an institution keeps no staffing table (its posts are on
        # its organization's page).
        register_menu_item(
            MenuItem(
                "registry:territory_tree", _("Territories"), REGISTRY, 10, roles=TERRITORY_ROLES
            )
        )
        register_menu_item(MenuItem("registry:organization_list", _("Organizations"), REGISTRY, 20))
        register_menu_item(MenuItem("registry:person_list", _("People"), REGISTRY, 30))
        register_menu_item(
            MenuItem(
                "registry:staffing",
                _("Staffing"),
                REGISTRY,
                40,
                roles=EVERY_ROLE - {Role.INSTITUTION},
            )
        )
