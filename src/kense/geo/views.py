"""Map pages: a territory's map on a day, and boundary files in and out."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.accounts.auth import AuthenticatedRequest
from kense.assignments.models import Assignment
from kense.core.permissions import can_add
from kense.events.models import Event
from kense.geo import render as drawing
from kense.geo import selectors, services
from kense.geo.api import feature_collection
from kense.geo.forms import BoundaryImportForm, MapForm
from kense.geo.models import Boundary
from kense.registry.models import Organization, Territory
from kense.sites.selectors import sites_on_map
from kense.text.kazakh import format_date, format_number

# Points drawn at most on one map: beyond this the map says how many were left out.
MAX_SPOTS = 5000


@login_required
def territory_map_page(request: AuthenticatedRequest) -> HttpResponse:
    """The map of a territory's units on a day (the user's territory today by default), with
    events and organizations over it if asked."""
    form = MapForm(request.GET or None, user=request.user)
    values: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    day = values.get("on") or timezone.localdate()
    territory_map = selectors.territory_map(
        request.user, values.get("territory"), day, districts=values.get("level") == "districts"
    )
    if territory_map.territory is not None and not form.is_bound:
        form = MapForm(initial={"territory": territory_map.territory}, user=request.user)
    spots: list[drawing.Spot] = []
    subtree = territory_map.territory.path if territory_map.territory else ""
    if values.get("events"):
        events = (
            Event.objects.restrict(request.user)
            .filter(territory__path__startswith=subtree, start__year=day.year)
            .select_related("territory")
            .order_by("start", "pk")[:MAX_SPOTS]
        )
        spots += selectors.spots_of(events, kind="event", url_name="events:event_detail")
    if values.get("organizations"):
        organizations = (
            Organization.objects.restrict(request.user)
            .filter(territory__path__startswith=subtree)
            .select_related("territory")
            .order_by("pk")[:MAX_SPOTS]
        )
        spots += selectors.spots_of(
            organizations, kind="organization", url_name="registry:organization_detail"
        )
    if values.get("sites"):
        sites = sites_on_map(request.user).select_related("territory")
        if territory_map.territory is not None:
            sites = sites.filter(territory__path__startswith=subtree)
        spots += selectors.spots_of(
            sites.order_by("pk")[:MAX_SPOTS], kind="site", url_name="sites:site_detail"
        )
    name = territory_map.territory.name if territory_map.territory else str(_("Kazakhstan"))
    title = str(_("%(territory)s on %(day)s") % {"territory": name, "day": format_date(day)})
    areas = selectors.outline_area(territory_map) + territory_map.areas(selectors.territory_url)
    measure = values.get("measure") or ""
    if measure:
        _colour(request.user, territory_map, areas, measure, subtree)
    picture = drawing.draw(
        areas,
        spots,
        title=title,
        bounds=territory_map.bounds,
        colour_by_value=bool(measure),
        value_label=str(MEASURES.get(measure, "")),
    )
    picture.filename = f"kense-map-{day.isoformat()}"
    context = {
        "form": form,
        "picture": picture,
        "territory_map": territory_map,
        "day": day,
        "can_import": can_add(request.user, Boundary),
        "drill": [
            (unit, _map_url(unit.pk, day))
            for unit in territory_map.units
            if unit.pk in territory_map.boundaries
        ],
        "up": _up_url(request.user, territory_map, day),
        "export_url": _export_url(territory_map, day),
    }
    return render(request, "geo/map.html", context)


MEASURES = {"events": _("Events of the year"), "overdue": _("Overdue assignments")}


def _colour(
    user: Any,
    territory_map: selectors.TerritoryMap,
    areas: list[drawing.Area],
    measure: str,
    subtree: str,
) -> None:
    """Give each unit's area its count: events of the map's year, or assignments overdue on
    the map's day, inside the unit. One query."""
    day = territory_map.day
    if measure == "events":
        rows = Event.objects.restrict(user).filter(
            territory__path__startswith=subtree, start__year=day.year
        )
    else:
        rows = Assignment.objects.restrict(user).filter(territory__path__startswith=subtree)
        rows = rows.overdue(day)
    counted = rows.values_list("territory__path").annotate(count=Count("pk")).order_by()
    totals = selectors.counts_by_unit(territory_map.units, counted)
    for area in areas:
        if area.labelled:
            area.value = totals.get(int(area.key), 0)
            area.value_text = format_number(int(area.value))


def _up_url(user: Any, territory_map: selectors.TerritoryMap, day: datetime.date) -> str:
    """The map one level up, when the user may see the territory above (a school's map of its
    town has none: the region is not theirs to open)."""
    territory = territory_map.territory
    if territory is None or territory.parent_id is None:
        return ""
    if not Territory.objects.restrict(user).filter(pk=territory.parent_id).exists():
        return ""
    return _map_url(territory.parent_id, day)


def _map_url(pk: int | None, day: datetime.date) -> str:
    return f"{reverse('geo:map')}?territory={pk or ''}&on={day.isoformat()}"


def _export_url(territory_map: selectors.TerritoryMap, day: datetime.date) -> str:
    parent = territory_map.territory.pk if territory_map.territory else ""
    return f"{reverse('geo:boundaries_export')}?parent={parent}&on={day.isoformat()}"


@login_required
def boundaries_export(request: AuthenticatedRequest) -> HttpResponse:
    """The boundaries of a territory's units on a day as a GeoJSON file (what the import
    reads back)."""
    form = MapForm(
        {"territory": request.GET.get("parent"), "on": request.GET.get("on")}, user=request.user
    )
    values: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    day = values.get("on") or timezone.localdate()
    territory_map = selectors.territory_map(request.user, values.get("territory"), day)
    full = {
        boundary.pk: boundary
        for boundary in Boundary.objects.restrict(request.user)
        .filter(pk__in=[b.pk for b in territory_map.boundaries.values()])
        .select_related("territory")
    }
    document = feature_collection(list(full.values()), detail="full")
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False), content_type="application/geo+json"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="kense-boundaries-{day.isoformat()}.geojson"'
    )
    return response


@login_required
def boundaries_import_page(request: AuthenticatedRequest) -> HttpResponse:
    """Import a GeoJSON file of boundaries: all or nothing, every error naming its feature."""
    if not can_add(request.user, Boundary):
        raise PermissionDenied
    posted = request.method == "POST"
    form = BoundaryImportForm(request.POST if posted else None, request.FILES if posted else None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.boundaries_import(
                upload.read(services.geojson_limit() + 1),
                user=request.user,
                valid_from=form.cleaned_data["valid_from"],
                source=form.cleaned_data["source"] or upload.name,
                leave_out_unmatched=form.cleaned_data["leave_out_unmatched"],
            )
        except services.BoundaryFileRefused as refused:
            errors = refused.errors
        else:
            messages.success(
                request,
                _("Boundaries imported: %(count)s.") % {"count": len(result.saved)},
            )
            if result.left_out:
                messages.warning(
                    request,
                    _("Left out, matching no territory: %(features)s.")
                    % {"features": ", ".join(result.left_out)},
                )
            return redirect("geo:map")
    status = 400 if errors or form.errors else 200
    context = {"form": form, "errors": errors}
    return render(request, "geo/boundaries_import.html", context, status=status)
