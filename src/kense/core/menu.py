"""The site's menu, declared once: each app contributes its entries in its AppConfig.ready()
(`register_menu_item`), and the menu a page shows holds only the entries the user's role may
open and has something to do in (a school has no staffing table to keep, no territory tree to
walk). Core knows no app: an entry names its page by URL name.

The menu is decided by the role alone, without a query, so that it costs a page nothing."""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kense.core.permissions import ORGANIZATION_ROLES, Role


@dataclass(frozen=True)
class MenuGroup:
    key: str
    label: str | Promise
    order: int


WORK = MenuGroup("work", _("Current work"), 10)
REGISTRY = MenuGroup("registry", _("Registry"), 20)
PROGRAM = MenuGroup("program", _("Program"), 30)
GROUPS = (WORK, REGISTRY, PROGRAM)

EVERY_ROLE: frozenset[str] = frozenset(Role.values)
# Everyone but the roles bound to one organization (a department, an institution).
TERRITORY_ROLES: frozenset[str] = EVERY_ROLE - {str(role) for role in ORGANIZATION_ROLES}


@dataclass(frozen=True)
class MenuItem:
    """An entry: the page (a URL name without arguments), its label, its group and place in
    it, and the roles that see it. The role is read from the account as it is loaded: the
    menu asks the database nothing (not even the user's scope, which a page that restricts
    nothing would not have computed)."""

    url_name: str
    label: str | Promise
    group: MenuGroup
    order: int
    roles: Collection[str] = EVERY_ROLE

    def shown_to(self, role: str | None) -> bool:
        return role is not None and role in self.roles


_ITEMS: dict[str, MenuItem] = {}


def register_menu_item(item: MenuItem) -> None:
    """An app's entry (once per URL name: registering again replaces it)."""
    _ITEMS[item.url_name] = item
    _entries.cache_clear()


def menu_items() -> list[MenuItem]:
    return sorted(_ITEMS.values(), key=lambda item: (item.group.order, item.order))


def menu_for(user: Any, path: str = "") -> list[dict[str, Any]]:
    """The groups of entries the user sees, each `{"label", "key", "items": [{"url",
    "label", "active"}]}`; an empty group is left out. The active entry is the one whose
    address is the longest beginning of `path` (a plan's page is under Work plans, not under
    Events)."""
    active = user is not None and user.is_authenticated and user.is_active
    role = getattr(user, "role", None) if active else None
    groups: dict[str, dict[str, Any]] = {}
    entries: list[dict[str, Any]] = []
    for item, url in _entries(
        role, get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    ):
        group = groups.setdefault(
            item.group.key, {"key": item.group.key, "label": item.group.label, "items": []}
        )
        entry = {"url": url, "label": item.label, "url_name": item.url_name, "active": False}
        group["items"].append(entry)
        entries.append(entry)
    current = [entry for entry in entries if path.startswith(entry["url"])]
    if current:
        max(current, key=lambda entry: len(entry["url"]))["active"] = True
    return list(groups.values())


@functools.cache
def _entries(
    role: str | None, language: str | None, script_prefix: str, urlconf: Any
) -> tuple[tuple[MenuItem, str], ...]:
    """The entries a role sees with their addresses, which depend only on the role, the
    language, the script prefix and the URL configuration: reversed once per process, not on
    every page (0.7 ms of each, docs/performance.md "Speed under load")."""
    entries = []
    for item in menu_items():
        if not item.shown_to(role):
            continue
        try:
            entries.append((item, reverse(item.url_name, urlconf=urlconf)))
        except NoReverseMatch:  # an app that is not installed
            continue
    return tuple(entries)


def menu(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the menu of the signed-in user (nothing for a visitor)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "previous_page": previous_page(request)}
    return {"menu": menu_for(user, request.path), "previous_page": previous_page(request)}


def previous_page(request: HttpRequest) -> str | None:
    """The page the user came from, when it is one of Kense's own (an error page's way back):
    the path of a same-site Referer other than this page, or None."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer:
        return None
    parts = urlsplit(referer)
    if parts.netloc and parts.netloc != request.get_host():
        return None
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    back = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if back == request.get_full_path() else back
