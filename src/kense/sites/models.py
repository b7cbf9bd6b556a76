"""The registry of sacred and historical sites: the special project «Қазақстанның киелі
географиясы» (Sacred Geography of Kazakhstan) keeps it, region by region."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kense.core.models import Located, Searchable
from kense.core.permissions import Role
from kense.registry.models import PlacedQuerySet

if TYPE_CHECKING:
    from kense.accounts.models import User


class SiteKind(models.TextChoices):
    MAUSOLEUM = "mausoleum", _("Mausoleum")
    ARCHAEOLOGICAL = "archaeological", _("Archaeological site")
    NATURAL = "natural", _("Natural site")
    MEMORIAL = "memorial", _("Memorial")
    WORSHIP = "worship", _("Place of worship, mosque")
    SETTLEMENT = "settlement", _("Historical settlement")
    PETROGLYPHS = "petroglyphs", _("Petroglyphs")
    OTHER = "other", _("Other site")


class SacredList(models.TextChoices):
    """The list of sacred sites a site is entered in: the country's or the region's."""

    NATIONAL = "national", _("National list of sacred sites")
    REGIONAL = "regional", _("Regional list of sacred sites")


class Protection(models.TextChoices):
    NATIONAL = "national", _("Monument of national significance")
    LOCAL = "local", _("Monument of local significance")
    NONE = "none", _("Not protected")


class SiteQuerySet(PlacedQuerySet["Site"]):
    """Seen inside the scope of its territory (and of the territories that moved out of it:
    Ulytau's sites stay readable in Karaganda region's history); written by the project office
    and the coordinators inside their territory."""


class Site(Searchable, Located):
    """A sacred or historical site: a mausoleum, a settlement, a mountain… in a territory,
    on the national or the regional list, with its protection status, sources and photos."""

    ADD_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE, Role.COORDINATOR}

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=SiteKind.choices)
    # Not `list`: a class attribute of that name would hide the builtin in the class body.
    sacred_list = models.CharField(
        _("list"),
        max_length=10,
        choices=SacredList.choices,
        default=SacredList.REGIONAL,
        help_text=_("The list of sacred sites the site is entered in."),
    )
    territory = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="sites",
    )
    description = models.TextField(_("description"), blank=True, max_length=20000)
    protection = models.CharField(
        _("protection status"),
        max_length=10,
        choices=Protection.choices,
        default=Protection.NONE,
    )
    sources = models.TextField(
        _("sources"),
        blank=True,
        max_length=10000,
        help_text=_("Books, articles and archive documents about the site, one per line."),
    )
    project = models.ForeignKey(
        "programs.Project",
        verbose_name=_("special project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sites",
    )
    events = models.ManyToManyField(
        "events.Event", verbose_name=_("events"), blank=True, related_name="sites"
    )
    publications = models.ManyToManyField(
        "media.Publication", verbose_name=_("publications"), blank=True, related_name="sites"
    )

    objects = models.Manager.from_queryset(SiteQuerySet)()

    # The author of the next history row, set by the services before a save (simple-history
    # reads it).
    _history_user: User | None

    class Meta:
        verbose_name = _("sacred site")
        verbose_name_plural = _("sacred sites")
        indexes = [models.Index(fields=["territory", "kind"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sites:site_detail", args=[self.pk])

    def search_spellings(self) -> list[str]:
        # name_kk…: added by modeltranslation at run time, unknown to the type.
        return [self.name_kk, self.name_ru, self.name_en]  # type: ignore[attr-defined]

    @property
    def source_lines(self) -> list[str]:
        """The sources, one a line, without the empty lines."""
        return [line.strip() for line in self.sources.splitlines() if line.strip()]


# The many-to-many links of a site, by field name.
LINKS = ["events", "publications"]
