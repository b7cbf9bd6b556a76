"""Events, work plans and the emergencies that postpone them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.core.models import Located, Publishable, Searchable, validate_period
from kense.core.permissions import NOTHING, Action, RestrictedQuerySet, Role, Scope


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")
    MEDIA_CAMPAIGN = "media_campaign", _("Media campaign")


class Audience(models.TextChoices):
    YOUTH = "youth", _("Youth")
    STUDENTS = "students", _("Students")
    SCHOOLCHILDREN = "schoolchildren", _("Schoolchildren")
    TEACHERS = "teachers", _("Teachers")
    PUBLIC = "public", _("The public")
    CIVIL_SERVANTS = "civil_servants", _("Civil servants")
    ELDERLY = "elderly", _("Older people")


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


class TerritoryScopedQuerySet(RestrictedQuerySet):
    """Seen in the territory's scope and by the organizer's (and co-organizers') people;
    changed by the project office, the territory's coordinator and the organizer."""

    organizer_field = "organizer"
    territory_field = "territory"

    def scope_q(self, scope: Scope, action: str) -> Q:
        organizer = self.organizer_field
        if action == Action.VIEW:
            if scope.is_organization_bound:
                return scope.organization_q(f"{organizer}__")
            return scope.territory_q("territory__", former=True)
        if action in (Action.CHANGE, Action.ADD):
            if scope.role in (Role.PROJECT_OFFICE, Role.COORDINATOR):
                return scope.territory_q("territory__")
            if scope.is_organization_bound:
                return scope.organization_q(f"{organizer}__")
        return NOTHING


class Emergency(models.Model):
    """A declared state of emergency (or a quarantine, a natural disaster…) that restricts
    events in some territories from a date to a date (or until lifted).

    It was called Disruption, as API v1 still calls it. Renamed without moving a row: its table,
    its link to the territories and its history keep their names (`events_disruption`…)."""

    class Kind(models.TextChoices):
        EMERGENCY = "emergency", _("State of emergency")
        QUARANTINE = "quarantine", _("Quarantine")
        DISASTER = "disaster", _("Natural disaster")
        OTHER = "other", _("Other restriction")

    class Restricts(models.TextChoices):
        IN_PERSON = "in_person", _("In-person gatherings")
        ALL = "all", _("All events")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    territories = models.ManyToManyField(
        "registry.Territory",
        # Declared, only to keep the column named after the former model (disruption_id).
        through="EmergencyTerritory",
        verbose_name=_("territories affected"),
        related_name="emergencies",
        help_text=_("Each with everything inside it."),
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True, help_text=_("Empty: until lifted."))
    act_number = models.CharField(_("act number"), max_length=100, blank=True)
    act_date = models.DateField(_("act date"), null=True, blank=True)
    restricts = models.CharField(
        _("restricts"), max_length=10, choices=Restricts.choices, default=Restricts.IN_PERSON
    )
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("declared by"),
    )
    declared_at = models.DateTimeField(default=timezone.now, verbose_name=_("declared"))

    class Meta:
        db_table = "events_disruption"
        # The former name's msgids, kept: their kk and ru translations («шектеу режимі», «режим
        # ограничений») already name it well.
        verbose_name = _("disruption")
        verbose_name_plural = _("disruptions")
        ordering = ["-start", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:emergency_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        validate_period(self.start, self.end, start_field="start", end_field="end")
        validate_period(self.start, self.lifted_on, start_field="start", end_field="lifted_on")

    @property
    def last_day(self) -> datetime.date | None:
        """The last restricted day: the lifting, else the planned end (None: open-ended)."""
        if self.lifted_on:
            return self.lifted_on - datetime.timedelta(days=1)
        return self.end

    def covers(self, day: datetime.date) -> bool:
        return self.start <= day and (self.last_day is None or day <= self.last_day)


class EmergencyTerritory(models.Model):
    """A territory an emergency is declared over (with everything inside it).

    The table Django made for `territories` before the rename, as it was: a declared through
    model only because an automatic one would name its column after the model (emergency_id)."""

    emergency = models.ForeignKey(
        Emergency, on_delete=models.CASCADE, db_column="disruption_id", related_name="+"
    )
    territory = models.ForeignKey("registry.Territory", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "events_disruption_territories"
        unique_together = [("emergency", "territory")]

    def __str__(self) -> str:
        return f"{self.emergency_id} {self.territory_id}"


class EventQuerySet(TerritoryScopedQuerySet):
    pass


class Event(Searchable, Located, Publishable, models.Model):
    ADD_ROLES = {
        Role.ADMINISTRATOR,
        Role.PROJECT_OFFICE,
        Role.COORDINATOR,
        Role.DEPARTMENT,
        Role.INSTITUTION,
    }

    title = models.CharField(_("title"), max_length=300)
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    project = models.ForeignKey(
        "programs.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    organizer = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organizer"),
        on_delete=models.PROTECT,
        related_name="organized_events",
    )
    co_organizers = models.ManyToManyField(
        "registry.Organization",
        verbose_name=_("co-organizers"),
        blank=True,
        related_name="co_organized_events",
    )
    territory = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    format = models.CharField(
        _("format"), max_length=16, choices=EventFormat.choices, default=EventFormat.IN_PERSON
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    link = models.URLField(_("link"), blank=True, max_length=500)
    start = models.DateField(_("planned start"))
    end = models.DateField(_("planned end"))
    audience = models.JSONField(_("audience"), default=list, blank=True)
    planned_reach = models.PositiveIntegerField(_("planned reach"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("participants in person"), null=True, blank=True)
    online_views = models.PositiveIntegerField(_("online views"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget, tenge"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    sponsor_money = models.DecimalField(
        _("sponsors' money, tenge"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.PLANNED
    )
    outcome = models.TextField(_("outcome"), blank=True, max_length=20000)
    reason = models.TextField(
        _("reason"), blank=True, max_length=5000, help_text=_("Why it was postponed or cancelled.")
    )
    after_lifting = models.BooleanField(
        _("after the restrictions are lifted"),
        default=False,
        help_text=_("Postponed with no new date yet: it resumes once the restrictions end."),
    )
    emergency = models.ForeignKey(
        Emergency,
        verbose_name=_("postponed because of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        db_column="disruption_id",  # the column of the former name: renamed without moving data
    )
    beyond_plan = models.BooleanField(_("held beyond the approved plan"), default=False)
    plan_item = models.ForeignKey(
        "events.PlanItem",
        verbose_name=_("work plan item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["start", "pk"]
        indexes = [
            # Covering: a territory's counts by year (its passport) are read from the index
            # alone, not from a million scattered rows (PostgreSQL; elsewhere a plain index).
            models.Index(
                fields=["territory", "start"],
                include=["id", "end", "status", "beyond_plan", "emergency"],
                name="event_territory_start",
            ),
            models.Index(fields=["status", "start"]),
            # Lists: events overlapping a period in a territory subtree (counted from the index
            # alone), and the newest first across territories: read backwards until a page's
            # rows pass the scope and the status, from the index alone (a district's newest
            # fifty: 36 ms through the table, 9 without it).
            models.Index(fields=["territory", "end", "start"]),
            models.Index(
                fields=["start", "id"], include=["territory", "status"], name="event_start"
            ),
            # The open pages: a place's latest and next published events (a small share of all).
            models.Index(
                fields=["start", "id"],
                condition=models.Q(published_at__isnull=False),
                name="event_published_start",
            ),
            models.Index(
                fields=["end", "start"],
                condition=models.Q(published_at__isnull=False),
                name="event_published_end",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event_detail", args=[self.pk])

    def search_spellings(self) -> list[str]:
        return [getattr(self, f"title_{language}") or "" for language in ("kk", "ru", "en")]

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The event ends before it starts.")})
        for name in ("budget", "sponsor_money"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValidationError({name: _("A sum of money cannot be negative.")})
        unknown = set(self.audience or []) - set(Audience.values)
        if unknown:
            raise ValidationError({"audience": _("Unknown audience.")})
        if (
            self.status in (EventStatus.POSTPONED, EventStatus.CANCELLED)
            and not self.reason.strip()
        ):
            raise ValidationError({"reason": _("Give the reason.")})

    @property
    def justified(self) -> bool:
        """Postponed because of a declared emergency: not counted against the territory."""
        return self.status == EventStatus.POSTPONED and self.emergency_id is not None


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned with comments")


class PlanQuerySet(TerritoryScopedQuerySet):
    organizer_field = "organization"


class WorkPlan(models.Model):
    """A work plan for a year or a quarter, of an organization or of a territory."""

    ADD_ROLES = {
        Role.ADMINISTRATOR,
        Role.PROJECT_OFFICE,
        Role.COORDINATOR,
        Role.DEPARTMENT,
        Role.INSTITUTION,
    }

    title = models.CharField(_("title"), max_length=300)
    territory = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="work_plans",
    )
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_plans",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), null=True, blank=True, help_text=_("Empty for a plan of the whole year.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    comment = models.TextField(_("comments of the project office"), blank=True, max_length=5000)
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted"))
    approved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("approved"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        ordering = ["-year", "quarter", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:plan_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise ValidationError({"quarter": _("A quarter is 1 to 4.")})


class PlanItem(models.Model):
    """A planned event or action, with its responsible body and dates."""

    plan = models.ForeignKey(
        WorkPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("work plan")
    )
    order = models.PositiveSmallIntegerField(_("number"), default=0)
    title = models.CharField(_("title"), max_length=500)
    is_event = models.BooleanField(_("an event"), default=True)
    responsible = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("responsible"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    project = models.ForeignKey(
        "programs.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # What an item says, in the order it is edited, shown and compared between versions.
    CONTENT = (
        "order",
        "title_kk",
        "title_ru",
        "title_en",
        "is_event",
        "responsible",
        "start",
        "end",
        "project",
    )

    class Meta:
        verbose_name = _("work plan item")
        verbose_name_plural = _("work plan items")
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        validate_period(self.start, self.end, start_field="start", end_field="end")


class PlanVersion(models.Model):
    """A frozen copy of a plan's items at a submission: later versions are compared to it."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    items = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("work plan version")
        verbose_name_plural = _("work plan versions")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_once")]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number}"
