"""{% location_picker %}: the map under a form's latitude and longitude fields, a tap on it
filling them (map.js); it shows the territory the form names, or the user's own."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from kense.geo import render, selectors
from kense.registry.models import Territory

register = template.Library()


def _form_territory(form: Any) -> Territory | None:
    """The territory the form's object stands in (as bound or saved), if it names one."""
    if form is None or "territory" not in getattr(form, "fields", {}):
        return None
    value = form["territory"].value()
    if isinstance(value, Territory):
        return value
    try:
        return Territory.objects.filter(pk=int(value)).first() if value else None
    except (TypeError, ValueError):
        return None


@register.inclusion_tag("geo/_map.html", takes_context=True)
def location_picker(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    form = context.get("form")
    territory = _form_territory(form)
    if territory is not None and territory.kind not in ("country", "region"):
        # A district's map shows its settlements; the pick is about the district itself.
        parent = Territory.objects.filter(pk=territory.parent_id or 0).first()
        territory = parent or territory
    territory_map = selectors.territory_map(request.user, territory, timezone.localdate())
    areas = selectors.outline_area(territory_map) + territory_map.areas()
    picture = render.draw(
        areas,
        title=_("Tap the map to put the place"),
        bounds=territory_map.bounds,
        pick=True,
    )
    return {"picture": picture, "request": request}


@register.inclusion_tag("geo/_map.html", takes_context=True)
def point_map(context: template.Context, located: Any) -> dict[str, Any]:
    """The map of the region around a located object, with its point (its own, or its
    territory's centre); nothing when it has neither."""
    request = context["request"]
    spots = selectors.spots_of([located], kind=type(located).__name__.lower())
    if not spots:
        return {"picture": None}
    territory = getattr(located, "territory", None)
    region = (
        Territory.objects.filter(pk=territory.parent_id or 0).first()
        if territory is not None and territory.kind not in ("country", "region")
        else territory
    )
    picture = selectors.points_picture(
        request.user, spots, title=str(located), day=timezone.localdate(), territory=region
    )
    picture.filename = f"kense-{spots[0].kind}-{located.pk}"
    return {"picture": picture, "request": request}
