"""Indicators, their values and targets, periodic reports with approval, and the named,
versioned methodologies the ranking of cities and districts follows."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.core.models import Publishable, Searchable
from kense.core.permissions import NOTHING, Action, RestrictedQuerySet, Role, Scope


class Source(models.TextChoices):
    COMPUTED = "computed", _("Computed from Kense's data")
    REPORTED = "reported", _("Reported in forms")


class Computation(models.TextChoices):
    """What a computed indicator counts (per territory subtree and year)."""

    EVENTS_HELD = "events_held", _("Events held")
    EVENTS_HELD_SHARE = (
        "events_held_share",
        _("Share of planned events held (justified postponements excused)"),
    )
    PARTICIPANTS = "participants", _("Participants of events")
    EVENTS_BEYOND_PLAN = "events_beyond_plan", _("Events held beyond the plan")
    ASSIGNMENTS_ON_TIME = "assignments_on_time", _("Share of assignments done on time")
    ASSIGNMENTS_OVERDUE = "assignments_overdue", _("Overdue assignments")
    PROJECTS_IMPLEMENTED = "projects_implemented", _("Projects implemented")
    PROJECTS_COST = "projects_cost", _("Cost of projects, tenge")
    SPONSOR_MONEY = "sponsor_money", _("Sponsors' money, tenge")
    PUBLICATIONS = "publications", _("Publications in the media")
    PUBLICATION_VIEWS = "publication_views", _("Views of publications")
    ACKNOWLEDGMENTS = "acknowledgments", _("Guidelines acknowledged")
    IDEAS = "ideas", _("Ideas proposed")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    HALF_YEAR = "half_year", _("Half-year")
    YEAR = "year", _("Year")


PERIODS_IN_YEAR = {"month": 12, "quarter": 4, "half_year": 2, "year": 1}


class RegionWide(RestrictedQuerySet):
    """Definitions (indicators, forms, methodologies): everyone reads, the project office writes."""

    def scope_q(self, scope: Scope, action: str) -> Q:
        if action == Action.VIEW:
            return Q()
        if action in (Action.CHANGE, Action.ADD) and scope.role == Role.PROJECT_OFFICE:
            return Q()
        return NOTHING


class Indicator(Searchable):
    ADD_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE}

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    direction = models.ForeignKey(
        "programs.Direction",
        verbose_name=_("program direction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    source = models.CharField(_("how it is obtained"), max_length=10, choices=Source.choices)
    computation = models.CharField(
        _("computed as"), max_length=24, choices=Computation.choices, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = RegionWide.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def search_spellings(self) -> list[str]:
        names = [getattr(self, f"name_{language}") for language in ("kk", "ru", "en")]
        return [self.code, *names]

    def get_absolute_url(self) -> str:
        return reverse("indicators:indicator_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.source == Source.COMPUTED and not self.computation:
            raise ValidationError({"computation": _("Say what a computed indicator counts.")})
        if self.source == Source.REPORTED and self.computation:
            raise ValidationError({"computation": _("A reported indicator is not computed.")})


class TerritoryData(RestrictedQuerySet):
    """Values, targets and reports of a territory: seen in its scope, entered by its
    coordinator and the project office (approval is the project office's, in the services)."""

    territory_field = "territory"

    def scope_q(self, scope: Scope, action: str) -> Q:
        if action == Action.VIEW:
            if scope.is_organization_bound:
                return scope.territory_q("territory__")
            return scope.territory_q("territory__", former=True)
        if action in (Action.CHANGE, Action.ADD) and scope.role in (
            Role.PROJECT_OFFICE,
            Role.COORDINATOR,
        ):
            return scope.territory_q("territory__")
        return NOTHING


class Target(models.Model):
    # Targets and reports are entered for a territory by its coordinator and the project office.
    ADD_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE, Role.COORDINATOR}

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    territory = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("territory"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=18, decimal_places=4)

    objects = TerritoryData.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "territory", "year"], name="target_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.territory_id} {self.year}: {self.value}"


class ValueStatus(models.TextChoices):
    COMPUTED = "computed", _("Computed")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, not approved")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


# Values that count as final: approved in a report, or computed from Kense's own data.
APPROVED_STATUSES = frozenset({ValueStatus.APPROVED, ValueStatus.COMPUTED})


class IndicatorValue(models.Model):
    """The value of an indicator for a territory and a period (year, or its month, quarter or
    half). Computed values are refreshed by the worker; reported ones come from reports."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    territory = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("territory"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period_kind = models.CharField(
        _("period"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.YEAR
    )
    period_number = models.PositiveSmallIntegerField(_("period number"), default=1)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=ValueStatus.choices, default=ValueStatus.DRAFT
    )
    report = models.ForeignKey(
        "indicators.Report",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="values",
        verbose_name=_("report"),
    )
    updated_at = models.DateTimeField(default=timezone.now, verbose_name=_("updated"))

    objects = TerritoryData.as_manager()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "territory", "year", "period_kind", "period_number"],
                name="value_once",
            )
        ]
        indexes = [models.Index(fields=["year", "period_kind", "indicator"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.territory_id} {self.year}/{self.period_number}"

    @property
    def is_approved(self) -> bool:
        return self.status in APPROVED_STATUSES


class ReportForm(models.Model):
    """What territories report: which indicators, how often, who, and by when."""

    ADD_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE}

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=300)
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("indicators"), related_name="forms"
    )
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    territories = models.ManyToManyField(
        "registry.Territory",
        verbose_name=_("territories that submit"),
        related_name="report_forms",
    )
    due_days = models.PositiveSmallIntegerField(_("due, days after the period ends"), default=10)
    # Validation rules, each {"rule": "min"|"max", "indicator": code, "value": n},
    # {"rule": "lte", "a": code, "b": code}, {"rule": "change", "percent": n} (a comment is
    # required when a value changes by more than n % from the previous period or is missing).
    rules = models.JSONField(_("validation rules"), default=list, blank=True)

    objects = RegionWide.as_manager()

    class Meta:
        verbose_name = _("report form")
        verbose_name_plural = _("report forms")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("indicators:form_detail", args=[self.pk])


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned with comments")


class Report(models.Model):
    """A territory's report on a form for one period."""

    ADD_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE, Role.COORDINATOR}

    form = models.ForeignKey(
        ReportForm, on_delete=models.PROTECT, related_name="reports", verbose_name=_("report form")
    )
    territory = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period_number = models.PositiveSmallIntegerField(_("period number"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
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
    comment = models.TextField(_("comments of the project office"), blank=True, max_length=5000)

    objects = TerritoryData.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["form", "territory", "year", "period_number"], name="report_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.form} — {self.territory_id} {self.year}/{self.period_number}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:report_detail", args=[self.pk])


class Normalization(models.TextChoices):
    PERCENT_OF_TARGET = "percent_of_target", _("Per cent of the target")
    MIN_MAX = "min_max", _("Min–max within the peer group")


class LowRule(models.TextChoices):
    BOTTOM_QUARTILE = "bottom_quartile", _("Bottom quartile of the peer group")
    THRESHOLD = "threshold", _("Score under a threshold")


class Methodology(Publishable, models.Model):
    """A named, versioned ranking method: how values are normalised, the weights of the
    indicators, and who counts as a low performer. A new version never changes an old one."""

    ADD_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE}

    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    year = models.PositiveSmallIntegerField(_("for the year"))
    normalization = models.CharField(
        _("normalisation"), max_length=20, choices=Normalization.choices
    )
    weights = models.JSONField(_("weights"), default=dict, help_text=_("Indicator code → weight."))
    low_rule = models.CharField(_("low performers"), max_length=20, choices=LowRule.choices)
    threshold = models.DecimalField(
        _("threshold"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True, max_length=5000)
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = RegionWide.as_manager()

    class Meta:
        verbose_name = _("ranking methodology")
        verbose_name_plural = _("ranking methodologies")
        ordering = ["-year", "name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="methodology_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:methodology_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if not isinstance(self.weights, dict) or not self.weights:
            raise ValidationError({"weights": _("Give at least one indicator a weight.")})
        for code, weight in self.weights.items():
            if not isinstance(weight, int | float) or weight < 0:
                raise ValidationError(
                    {
                        "weights": _("Weights are numbers of zero or more (%(code)s).")
                        % {"code": code}
                    }
                )
        if self.low_rule == LowRule.THRESHOLD and self.threshold is None:
            raise ValidationError({"threshold": _("Give the threshold.")})
