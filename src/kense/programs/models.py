"""Programs, their directions and special projects."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kense.core.models import Located, Publishable, Searchable, clean_aliases, validate_period
from kense.core.permissions import NOTHING, Action, M, RestrictedQuerySet, Role, Scope


class ProgramStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    COMPLETED = "completed", _("Completed")


class ProgramWork(Searchable, models.Model):
    """What programs, directions and projects share: names, a period, who leads, a status."""

    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=20000)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProgramStatus.choices, default=ProgramStatus.PLANNED
    )
    lead_organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("lead responsible organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    aliases = models.JSONField(
        _("aliases"),
        default=list,
        blank=True,
        help_text=_("Other names it goes by, one per line."),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def search_spellings(self) -> list[str]:
        names = [getattr(self, f"name_{language}") or "" for language in ("kk", "ru", "en")]
        return [*names, *self.aliases]

    def clean(self) -> None:
        super().clean()
        self.aliases = clean_aliases(self.aliases)
        validate_period(self.start, self.end, start_field="start", end_field="end")

    def origin_in(self, year: int) -> str | None:
        """'new' when the work began that year, 'continued' when earlier, None when not yet."""
        if self.start is None or self.start.year > year:
            return None
        return "new" if self.start.year == year else "continued"


class ProgramQuerySet(RestrictedQuerySet[M]):
    """Programs and directions are region-wide: everyone reads, the project office writes."""

    def scope_q(self, scope: Scope, action: str) -> models.Q:
        if action == Action.VIEW:
            return models.Q()
        if action == Action.COMMENT and scope.role in (Role.PROJECT_OFFICE, Role.EXECUTIVE):
            return models.Q()
        if action in (Action.CHANGE, Action.ADD) and scope.role == Role.PROJECT_OFFICE:
            return models.Q()
        return NOTHING


class Program(ProgramWork):
    ADD_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE}

    code = models.SlugField(_("code"), max_length=50, unique=True)
    co_executors = models.ManyToManyField(
        "registry.Organization", verbose_name=_("co-executors"), blank=True, related_name="+"
    )

    # Not ProgramQuerySet.as_manager(): the type checker would not see through the manager
    # modeltranslation puts in its place (see RestrictedQuerySet).
    objects = models.Manager.from_queryset(ProgramQuerySet)()

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def get_absolute_url(self) -> str:
        return reverse("programs:program_detail", args=[self.pk])


class Direction(ProgramWork):
    ADD_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE}

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="directions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    co_executors = models.ManyToManyField(
        "registry.Organization", verbose_name=_("co-executors"), blank=True, related_name="+"
    )

    objects = models.Manager.from_queryset(ProgramQuerySet)()

    class Meta:
        verbose_name = _("direction")
        verbose_name_plural = _("directions")
        ordering = ["program", "order", "pk"]

    def get_absolute_url(self) -> str:
        return reverse("programs:direction_detail", args=[self.pk])


class ProjectQuerySet(RestrictedQuerySet["Project"]):
    def scope_q(self, scope: Scope, action: str) -> models.Q:
        if scope.is_wide:
            if action == Action.VIEW:
                return scope.territory_q("territory__", former=True)
            if action == Action.COMMENT and scope.role in (Role.PROJECT_OFFICE, Role.EXECUTIVE):
                return scope.territory_q("territory__")
            if action in (Action.CHANGE, Action.ADD) and scope.role == Role.PROJECT_OFFICE:
                return scope.territory_q("territory__")
            return NOTHING
        if scope.role == Role.COORDINATOR:
            ours = scope.territory_q("territory__") | scope.territory_q(
                "lead_organization__territory__"
            )
            if action == Action.VIEW:
                executing = Project.co_executors.through.objects.filter(
                    scope.territory_q("organization__territory__")
                ).values("project_id")
                return ours | models.Q(pk__in=executing)
            return ours
        if scope.is_organization_bound:
            leading = scope.organization_q("lead_organization__")
            if action == Action.VIEW:
                executing = Project.co_executors.through.objects.filter(
                    scope.organization_q("organization__")
                ).values("project_id")
                return leading | models.Q(pk__in=executing)
            if scope.role == Role.DEPARTMENT:
                return leading
        return NOTHING


class Project(Located, Publishable, ProgramWork):
    """A special project of a program (or a sub-program of one), led by an organization."""

    ADD_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE, Role.COORDINATOR, Role.DEPARTMENT}

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="projects"
    )
    direction = models.ForeignKey(
        Direction,
        verbose_name=_("direction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
    )
    territory = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="projects",
        help_text=_("Where the project runs: the region, or one city or district."),
    )
    co_executors = models.ManyToManyField(
        "registry.Organization",
        verbose_name=_("co-executors"),
        blank=True,
        related_name="co_executed_projects",
    )
    budget = models.DecimalField(
        _("budget, tenge"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    # ProgramWork's field, with the help text the project's form has always shown (and no
    # migration to change it).
    aliases = models.JSONField(
        _("aliases"),
        default=list,
        blank=True,
        help_text=_("Other names the project goes by, one per line."),
    )

    objects = models.Manager.from_queryset(ProjectQuerySet)()

    class Meta:
        verbose_name = _("special project")
        verbose_name_plural = _("special projects")

    def get_absolute_url(self) -> str:
        return reverse("programs:project_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.direction is not None and self.direction.program_id != self.program_id:
            raise ValidationError({"direction": _("The direction belongs to another program.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A project cannot be a part of itself.")})
        if self.budget is not None and self.budget < 0:
            raise ValidationError({"budget": _("The budget cannot be negative.")})
