"""Where things are: the boundaries of territories through time, and the sites of the program."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kense.core.models import ValidityPeriod
from kense.core.permissions import Role
from kense.registry.models import PlacedQuerySet, Territory


class BoundaryQuerySet(PlacedQuerySet["Boundary"]):
    """A boundary is seen where its territory is, and changed by whoever may change the
    territory's data (a coordinator imports the areas inside their own district)."""

    def on(self, day: datetime.date) -> BoundaryQuerySet:
        """The boundaries in force on a day."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class Boundary(ValidityPeriod):
    """A territory's area from one date to another: reorganizations close a period, as they
    close a place in the tree, so the map of a past day is drawn with that day's areas."""

    ADD_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE, Role.COORDINATOR}

    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territory"),
        on_delete=models.CASCADE,
        related_name="boundaries",
    )
    # A GeoJSON MultiPolygon in WGS84 (kense.geo.geometry), as imported, rounded to 11 cm.
    geometry = models.JSONField(_("boundary"))
    # The same simplified for the map of the country, of a region and of a district.
    outlines = models.JSONField(default=dict, editable=False)
    west = models.FloatField(editable=False)
    south = models.FloatField(editable=False)
    east = models.FloatField(editable=False)
    north = models.FloatField(editable=False)
    schematic = models.BooleanField(
        _("schematic"),
        default=False,
        help_text=_("Drawn from the administrative centres, not surveyed: replace by importing."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    objects = models.Manager.from_queryset(BoundaryQuerySet)()

    class Meta:
        verbose_name = _("boundary")
        verbose_name_plural = _("boundaries")
        ordering = ["territory", "valid_from"]
        indexes = [models.Index(fields=["territory", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.territory} ({self.valid_from or '…'} – {self.valid_to or '…'})"
