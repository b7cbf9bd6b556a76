"""Publications: the program in the media."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.core.models import Publishable, Searchable
from kense.core.permissions import NOTHING, Action, RestrictedQuerySet, Role, Scope


class PublicationLanguage(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")


class PublicationKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    TV = "tv", _("TV")
    RADIO = "radio", _("Radio")
    SOCIAL = "social", _("Social media post")


def _territory_links() -> models.QuerySet[Any]:
    through: Any = Publication.territories.through
    return through.objects.all()


class PublicationQuerySet(RestrictedQuerySet):
    """Seen in the scope of the territories it is about (or of its outlet), and by its author;
    written by the project office and the territory coordinators inside their territory."""

    def scope_q(self, scope: Scope, action: str) -> models.Q:
        if action == Action.VIEW:
            about = (
                _territory_links()
                .filter(scope.territory_q("territory__", former=True))
                .values("publication_id")
            )
            q = models.Q(pk__in=about) | scope.organization_q("outlet__", former=True)
            if scope.user_id is not None:
                q |= models.Q(created_by_id=scope.user_id)
            return q
        if action in (Action.CHANGE, Action.ADD) and scope.role in (
            Role.PROJECT_OFFICE,
            Role.COORDINATOR,
        ):
            about = (
                _territory_links().filter(scope.territory_q("territory__")).values("publication_id")
            )
            return models.Q(pk__in=about) | scope.territory_q("outlet__territory__")
        return NOTHING


class Publication(Searchable, Publishable):
    """A piece in the media about the program: an article, a TV or radio story, a post. Found
    by its title through the folded search, like every other name."""

    ADD_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE, Role.COORDINATOR}

    outlet = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("outlet"),
        on_delete=models.PROTECT,
        related_name="publications",
        help_text=_("The media organization that published it."),
    )
    title = models.CharField(_("title"), max_length=500)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=PublicationLanguage.choices,
        default=PublicationLanguage.KAZAKH,
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=PublicationKind.choices, default=PublicationKind.ARTICLE
    )
    reach = models.PositiveIntegerField(
        _("reach (views)"), null=True, blank=True, help_text=_("Views, listeners or readers.")
    )
    text = models.TextField(_("text"), blank=True)
    projects = models.ManyToManyField(
        "programs.Project", verbose_name=_("special projects"), blank=True, related_name="+"
    )
    events = models.ManyToManyField(
        "events.Event", verbose_name=_("events"), blank=True, related_name="+"
    )
    meetings = models.ManyToManyField(
        "meetings.Meeting", verbose_name=_("meetings"), blank=True, related_name="+"
    )
    territories = models.ManyToManyField(
        "registry.Territory", verbose_name=_("territories"), blank=True, related_name="+"
    )
    people = models.ManyToManyField(
        "registry.Person", verbose_name=_("people"), blank=True, related_name="+"
    )
    organizations = models.ManyToManyField(
        "registry.Organization", verbose_name=_("organizations"), blank=True, related_name="+"
    )
    programs = models.ManyToManyField(
        "programs.Program", verbose_name=_("programs"), blank=True, related_name="+"
    )
    directions = models.ManyToManyField(
        "programs.Direction",
        verbose_name=_("directions"),
        blank=True,
        related_name="publications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("media:publication_detail", args=[self.pk])

    def search_spellings(self) -> list[str]:
        return [self.title]


# The many-to-many links of a publication, by field name.
LINKS = [
    "people",
    "organizations",
    "territories",
    "programs",
    "directions",
    "projects",
    "events",
    "meetings",
]


class LinkChoice(models.Model):
    """Which entity a name meant in a text of a territory, as the office chose when the
    name was shared by several (a village and its rural district): evidence the matcher
    uses for the next texts of that territory."""

    territory = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("territory"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    spelling = models.CharField(_("spelling"), max_length=300)  # folded (kense.text.kazakh.fold)
    # person, organization, territory, program, direction, project
    kind = models.CharField(_("kind"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("entry"))
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chosen by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    chosen_at = models.DateTimeField(_("chosen"), default=timezone.now)

    class Meta:
        verbose_name = _("link choice")
        verbose_name_plural = _("link choices")
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "spelling"], name="media_linkchoice_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.spelling} → {self.kind}:{self.object_id}"
