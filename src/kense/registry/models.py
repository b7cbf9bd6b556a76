"""The registry: territories, organizations, people, posts and appointments."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.core.models import (
    Located,
    Searchable,
    ValidityPeriod,
    clean_aliases,
    validate_period,
)
from kense.core.permissions import NOTHING, Action, M, RestrictedQuerySet, Role, Scope
from kense.core.tree import TreeNode


class TerritoryKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    REGION = "region", _("Region")
    CITY = "city", _("City of regional significance")
    DISTRICT = "district", _("District")
    RURAL_DISTRICT = "rural_district", _("Rural district")
    SETTLEMENT = "settlement", _("Settlement")


class PlacedQuerySet(RestrictedQuerySet[M]):
    """Rows that stand in a territory (`territory_field`; "" for territories themselves):
    seen inside the scope, and inside the territories that have since moved out of it (Ulytau's
    places stay readable in Karaganda region's history); written by the project office and the
    coordinators inside their territory."""

    territory_field = "territory"

    def scope_q(self, scope: Scope, action: str) -> models.Q:
        prefix = f"{self.territory_field}__" if self.territory_field else ""
        if action == Action.VIEW:
            return scope.territory_q(prefix, former=True)
        if action in (Action.CHANGE, Action.ADD) and scope.role in (
            Role.PROJECT_OFFICE,
            Role.COORDINATOR,
        ):
            return scope.territory_q(prefix)
        return NOTHING


class TerritoryQuerySet(PlacedQuerySet["Territory"]):
    territory_field = ""


class Territory(Searchable, ValidityPeriod, Located, TreeNode):
    """A unit of the administrative tree. Reorganizations close a period; the past stays."""

    ADD_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE, Role.COORDINATOR}

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=TerritoryKind.choices)
    kato = models.CharField(
        _("KATO code"),
        max_length=9,
        null=True,
        blank=True,
        unique=True,
        validators=[RegexValidator(r"^\d{9}$", _("A KATO code is nine digits."))],
    )
    aliases = models.JSONField(
        _("aliases"),
        default=list,
        blank=True,
        help_text=_("Other spellings of the name, one per line."),
    )

    # Not TerritoryQuerySet.as_manager(): the type checker would not see through the manager
    # modeltranslation puts in its place (see RestrictedQuerySet).
    objects = models.Manager.from_queryset(TerritoryQuerySet)()

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        self.aliases = clean_aliases(self.aliases)

    def search_spellings(self) -> list[str]:
        # name_kk…: added by modeltranslation at run time, unknown to the type.
        names = [self.name_kk, self.name_ru, self.name_en]  # type: ignore[attr-defined]
        return [*names, *self.aliases, self.kato or ""]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("registry:territory_detail", args=[self.pk])


class ParentPeriod(models.Model):
    """Under which parent something stood, from when to when (the tree's own history)."""

    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("to"), null=True, blank=True)
    act = models.CharField(_("act"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        validate_period(self.start, self.end, start_field="start", end_field="end")


class TerritoryParentPeriod(ParentPeriod):
    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="parentage", verbose_name=_("territory")
    )
    parent = models.ForeignKey(
        Territory, verbose_name=_("parent"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("territory membership")
        verbose_name_plural = _("territory memberships")
        ordering = ["territory", "start"]

    def __str__(self) -> str:
        return f"{self.territory_id} → {self.parent_id}"


class OrganizationKind(models.TextChoices):
    AKIMAT = "akimat", _("Akimat")
    DEPARTMENT = "department", _("Regional department")
    DIVISION = "division", _("District division")
    PROJECT_OFFICE = "project_office", _("Project office")
    UNIVERSITY = "university", _("University")
    COLLEGE = "college", _("College")
    SCHOOL = "school", _("School")
    CULTURE = "culture", _("Cultural institution")
    RESEARCH = "research", _("Research centre")
    MEDIA = "media", _("Media company")
    NGO = "ngo", _("Non-governmental organization")
    OTHER = "other", _("Other")


class OrganizationQuerySet(RestrictedQuerySet["Organization"]):
    territory_field = "territory"

    def scope_q(self, scope: Scope, action: str) -> models.Q:
        if action == Action.VIEW:
            return scope.organization_q("", former=True)
        if action in (Action.CHANGE, Action.ADD) and scope.role in (
            Role.PROJECT_OFFICE,
            Role.COORDINATOR,
            Role.DEPARTMENT,
            Role.INSTITUTION,
        ):
            return scope.organization_q("")
        return NOTHING


class Organization(Searchable, Located, TreeNode):
    """An akimat, a department, an institution, a media company… in a territory."""

    ADD_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE, Role.COORDINATOR}

    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=OrganizationKind.choices)
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    bin = models.CharField(
        _("BIN"),
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        validators=[RegexValidator(r"^\d{12}$", _("A BIN is twelve digits."))],
        help_text=_("Business identification number."),
    )
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)

    objects = models.Manager.from_queryset(OrganizationQuerySet)()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        self.aliases = clean_aliases(self.aliases)

    def search_spellings(self) -> list[str]:
        names = [
            getattr(self, f"{field}_{language}")
            for field in ("name", "short_name")
            for language in ("kk", "ru", "en")
        ]
        return [*names, *self.aliases, self.bin or ""]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("registry:organization_detail", args=[self.pk])


class OrganizationParentPeriod(ParentPeriod):
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="parentage",
        verbose_name=_("organization"),
    )
    parent = models.ForeignKey(
        Organization,
        verbose_name=_("parent organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("organization membership")
        verbose_name_plural = _("organization memberships")
        ordering = ["organization", "start"]

    def __str__(self) -> str:
        return f"{self.organization_id} → {self.parent_id}"


class PersonQuerySet(RestrictedQuerySet["Person"]):
    territory_field = "territory"

    def scope_q(self, scope: Scope, action: str) -> models.Q:
        if action == Action.VIEW:
            return self._reach(scope, former=True)
        if action in (Action.CHANGE, Action.ADD) and scope.role in (
            Role.PROJECT_OFFICE,
            Role.COORDINATOR,
            Role.DEPARTMENT,
            Role.INSTITUTION,
        ):
            return self._reach(scope, former=False)
        return NOTHING

    @staticmethod
    def _reach(scope: Scope, *, former: bool) -> models.Q:
        """People appointed in the scope's organizations, or registered in its territory."""
        appointed = Appointment.objects.filter(
            scope.organization_q("organization__", former=former)
        )
        if scope.is_organization_bound:
            return models.Q(pk__in=appointed.values("person_id"))
        home = scope.territory_q("territory__", former=former)
        # EXISTS, not IN: beside an OR, PostgreSQL would hash every appointment in the scope
        # (50,000 for a country's office) to test a few found rows; EXISTS looks up each
        # row's own appointments, or hashes them when the rows are many.
        return Q(Exists(appointed.filter(person=models.OuterRef("pk")))) | home


class Person(Searchable, models.Model):
    """Somebody Kense knows: an official, an expert, a contact."""

    surname = models.CharField(_("surname"), max_length=100)
    given_name = models.CharField(_("given name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    academic_degree = models.CharField(_("academic degree"), max_length=200, blank=True)
    aliases = models.JSONField(
        _("aliases"),
        default=list,
        blank=True,
        help_text=_("Other spellings of the name, one per line."),
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        help_text=_("Where the person is registered when they hold no post."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    objects = models.Manager.from_queryset(PersonQuerySet)()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.surname) if part)

    @property
    def formal_name(self) -> str:
        return " ".join(part for part in (self.surname, self.given_name, self.patronymic) if part)

    def clean(self) -> None:
        super().clean()
        self.aliases = clean_aliases(self.aliases)

    def search_spellings(self) -> list[str]:
        names = [
            getattr(self, f"{field}_{language}")
            for field in ("surname", "given_name", "patronymic")
            for language in ("kk", "ru", "en")
        ]
        return [*names, *self.aliases]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("registry:person_detail", args=[self.pk])


class Position(Searchable):
    """A kind of post (deputy akim, head of department, vice-rector…) that groups can name."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return self.name

    def search_spellings(self) -> list[str]:
        # name_kk…: added by modeltranslation at run time, unknown to the type.
        return [self.code, self.name_kk, self.name_ru, self.name_en]  # type: ignore[attr-defined]


def current_q(on: datetime.date | None = None, prefix: str = "") -> Q:
    """Appointments in force on a date (today by default)."""
    day = on or timezone.localdate()
    return Q(**{f"{prefix}start__lte": day}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": day})
    )


class Employment(models.TextChoices):
    STAFF = "staff", _("Staff")
    NON_STAFF = "non_staff", _("Non-staff")


class OrganizationBoundQuerySet(RestrictedQuerySet[M]):
    """Posts and appointments are seen and changed with their organization."""

    def scope_q(self, scope: Scope, action: str) -> models.Q:
        if action == Action.VIEW:
            return scope.organization_q("organization__", former=True)
        if action in (Action.CHANGE, Action.ADD) and scope.role in (
            Role.PROJECT_OFFICE,
            Role.COORDINATOR,
            Role.DEPARTMENT,
            Role.INSTITUTION,
        ):
            return scope.organization_q("organization__")
        return NOTHING


class StaffPost(models.Model):
    """A post in an organization's staffing table; filled while a current appointment holds it."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="staff_posts",
    )
    position = models.ForeignKey(Position, verbose_name=_("position"), on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=200, blank=True)
    employment = models.CharField(
        _("employment"), max_length=10, choices=Employment.choices, default=Employment.STAFF
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = models.Manager.from_queryset(OrganizationBoundQuerySet)()

    class Meta:
        verbose_name = _("staff post")
        verbose_name_plural = _("staff posts")
        ordering = ["organization", "order", "pk"]

    def __str__(self) -> str:
        return self.title or str(self.position)


class ActKind(models.TextChoices):
    APPOINTED = "appointed", _("Appointed")
    APPROVED = "approved", _("Approved")


class Appointment(models.Model):
    """A person holding a position in an organization, from a date (to a date), by an act."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="appointments"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    position = models.ForeignKey(Position, verbose_name=_("position"), on_delete=models.PROTECT)
    title = models.CharField(
        _("title"),
        max_length=300,
        blank=True,
        help_text=_("The post's full wording, when it says more than the position."),
    )
    post = models.ForeignKey(
        StaffPost,
        verbose_name=_("staff post"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    employment = models.CharField(
        _("employment"), max_length=10, choices=Employment.choices, default=Employment.STAFF
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    act_kind = models.CharField(
        _("act"), max_length=10, choices=ActKind.choices, default=ActKind.APPOINTED
    )
    act_number = models.CharField(_("act number"), max_length=50, blank=True)
    act_date = models.DateField(_("act date"), null=True, blank=True)

    objects = models.Manager.from_queryset(OrganizationBoundQuerySet)()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["-start", "pk"]
        indexes = [models.Index(fields=["organization", "end"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.title or self.position}"

    def clean(self) -> None:
        super().clean()
        validate_period(self.start, self.end, start_field="start", end_field="end")
        if self.post is not None and self.post.organization_id != self.organization_id:
            raise ValidationError({"post": _("The staff post belongs to another organization.")})

    def is_current_on(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)
