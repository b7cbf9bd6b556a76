"""Assignments under control: who must do what by when, who accepts it, and how it went."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.core.models import Searchable
from kense.core.permissions import NOTHING, Action, RestrictedQuerySet, Role, Scope

if TYPE_CHECKING:
    from kense.accounts.models import User


class Status(models.TextChoices):
    UNDER_CONTROL = "under_control", _("Under control")
    REPORTED = "reported", _("Reported, awaiting acceptance")
    DONE = "done", _("Done")
    WITHDRAWN = "withdrawn", _("Withdrawn from control")


OPEN_STATUSES = (Status.UNDER_CONTROL, Status.REPORTED)


class DeadlineKind(models.TextChoices):
    DATE = "date", _("By a date")
    RECURRING = "recurring", _("Recurring")
    AFTER_LIFTING = "after_lifting", _("Days after the emergency is lifted")


class Recurrence(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class SourceKind(models.TextChoices):
    MEETING = "meeting", _("Meeting decision")
    ORDER = "order", _("Akim's order")


class AssignmentQuerySet(RestrictedQuerySet):
    """Seen in the territory's scope, by the lead and co-executing organizations, by the
    lead person and by the controller. Changed (edited, withdrawn) only by the project office
    of its territory and by its controller: the executors report and ask for extensions, they
    never move their own deadlines."""

    territory_field = "territory"

    def scope_q(self, scope: Scope, action: str) -> Q:
        controlled = Q(controller_id=scope.user_id) if scope.user_id else NOTHING
        personal = Q(lead_person_id=scope.person_id) if scope.person_id else NOTHING
        if action == Action.VIEW:
            executing = Assignment.co_executors.through.objects.filter(
                scope.organization_q("organization__")
            ).values("assignment_id")
            if scope.is_organization_bound:
                reach = scope.organization_q("lead_organization__")
            elif scope.role == Role.COORDINATOR:
                # Four ways in (the territory's, led or co-executed by its organizations,
                # personal or controlled): as one UNION of keys, each part from its own index.
                # PostgreSQL answers the same OR by scanning every assignment.
                organizations = Assignment.lead_organization.field.related_model
                theirs = organizations._default_manager.filter(
                    scope.territory_q("territory__")
                ).values("pk")
                everything = Assignment._default_manager.order_by()  # no ORDER BY in a UNION
                keys = (
                    everything.filter(scope.territory_q("territory__"))
                    .values("pk")
                    .union(
                        everything.filter(lead_organization_id__in=theirs).values("pk"),
                        executing.order_by(),
                        everything.filter(personal | controlled).values("pk"),
                    )
                )
                return Q(pk__in=keys)
            else:
                reach = scope.territory_q("territory__", former=True)
            return reach | Q(pk__in=executing) | personal | controlled
        if action in (Action.CHANGE, Action.ADD):
            if scope.role == Role.PROJECT_OFFICE:
                return scope.territory_q("territory__") | controlled
            return controlled
        return NOTHING

    def overdue(self, on: datetime.date | None = None) -> AssignmentQuerySet:
        """Open and past their deadline. A recurring assignment's template is never overdue:
        its instances carry the dates."""
        day = on or timezone.localdate()
        return self.filter(status__in=OPEN_STATUSES, deadline__lt=day).exclude(
            deadline_kind=DeadlineKind.RECURRING, parent__isnull=True
        )


class Assignment(Searchable, models.Model):
    ADD_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE}

    number = models.CharField(_("number"), max_length=30, blank=True)
    text = models.TextField(_("text"), max_length=5000)
    source_kind = models.CharField(
        _("source"), max_length=10, choices=SourceKind.choices, default=SourceKind.MEETING
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    decision = models.ForeignKey(
        "meetings.Decision",
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    order_reference = models.CharField(
        _("akim's order"),
        max_length=200,
        blank=True,
        help_text=_("The akim's order: number and date."),
    )
    lead_organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("lead responsible organization"),
        on_delete=models.PROTECT,
        related_name="led_assignments",
    )
    lead_person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_assignments",
    )
    co_executors = models.ManyToManyField(
        "registry.Organization",
        verbose_name=_("co-executors"),
        blank=True,
        related_name="co_executed_assignments",
    )
    territory = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    deadline_kind = models.CharField(
        _("deadline"), max_length=14, choices=DeadlineKind.choices, default=DeadlineKind.DATE
    )
    deadline = models.DateField(_("deadline date"), null=True, blank=True)
    recurrence = models.CharField(
        _("recurrence"), max_length=10, choices=Recurrence.choices, blank=True
    )
    recurrence_day = models.PositiveSmallIntegerField(
        _("by day of the month"), null=True, blank=True
    )
    recurrence_until = models.DateField(_("recurring until"), null=True, blank=True)
    days_after_lifting = models.PositiveSmallIntegerField(
        _("days after the emergency is lifted"), null=True, blank=True
    )
    deadline_reason = models.CharField(_("reason for a past deadline"), max_length=300, blank=True)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    controller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("controller"),
        on_delete=models.PROTECT,
        related_name="controlled_assignments",
        help_text=_("Who accepts the execution."),
    )
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.UNDER_CONTROL
    )
    done_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("recurring assignment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instances",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created"))

    objects = AssignmentQuerySet.as_manager()

    # The author of the next history row, set by the services before a save (simple-history
    # reads it); None for a change made by a job.
    _history_user: User | None
    # The reason written on the next history row ("⟲ 12": reviewed at meeting 12).
    _change_reason: str

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["deadline", "pk"]
        indexes = [
            # Covering: discipline counts of a territory by year come from the index alone
            # (PostgreSQL; elsewhere a plain index on the two fields).
            models.Index(
                fields=["territory", "deadline"],
                include=["id", "status", "deadline_kind", "done_at", "controller"],
                name="assignment_territory_deadline",
            ),
            # Covering: open assignments in a scope, by deadline, are found (and counted) in
            # the index; only the rows of the page shown are read. The overdue ones too: the
            # template of a recurring assignment is never overdue (deadline_kind, parent).
            models.Index(
                fields=["status", "deadline"],
                include=[
                    "id",
                    "territory",
                    "controller",
                    "lead_person",
                    "lead_organization",
                    "deadline_kind",
                    "parent",
                ],
                name="assignment_status_deadline",
            ),
            # Covering, in the lists' order (deadline, then key): a page of a scope's
            # assignments, whatever their status, is the first rows of this index that the
            # scope admits, read without the table; PostgreSQL had sorted the whole scope
            # to find them (a region office's first page: 68 ms to 2).
            models.Index(
                fields=["deadline", "id"],
                include=["territory", "controller", "lead_person", "lead_organization", "status"],
                name="assignment_deadline",
            ),
            models.Index(fields=["lead_organization", "status"]),
        ]

    def __str__(self) -> str:
        return self.number or self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("assignments:assignment_detail", args=[self.pk])

    def search_spellings(self) -> list[str]:
        return [self.number, *(getattr(self, f"text_{code}") or "" for code in ("kk", "ru"))]

    def clean(self) -> None:
        super().clean()
        if self.deadline_kind == DeadlineKind.DATE and self.deadline is None:
            raise ValidationError({"deadline": _("Give the deadline date.")})
        if self.deadline_kind == DeadlineKind.RECURRING:
            if not self.recurrence or not self.recurrence_day:
                raise ValidationError(
                    {"recurrence_day": _("A recurring deadline needs its period and day.")}
                )
            if not 1 <= self.recurrence_day <= 31:
                raise ValidationError({"recurrence_day": _("A day of the month is 1 to 31.")})
            if self.recurrence_until is None:
                raise ValidationError(
                    {"recurrence_until": _("Say until when the assignment recurs.")}
                )
        if self.deadline_kind == DeadlineKind.AFTER_LIFTING and not self.days_after_lifting:
            raise ValidationError(
                {"days_after_lifting": _("Say how many days after the lifting it is due.")}
            )
        if self.source_kind == SourceKind.MEETING and not self.meeting_id:
            raise ValidationError({"meeting": _("Name the meeting that gave the assignment.")})
        if self.source_kind == SourceKind.ORDER and not self.order_reference:
            raise ValidationError({"order_reference": _("Give the order's number and date.")})

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        if self.deadline_kind == DeadlineKind.RECURRING and self.parent_id is None:
            return False
        return self.status in OPEN_STATUSES and self.deadline is not None and self.deadline < day

    def was_done_late(self) -> bool:
        return bool(
            self.status == Status.DONE
            and self.deadline
            and self.done_at
            and timezone.localtime(self.done_at).date() > self.deadline
        )


class ReportOutcome(models.TextChoices):
    PENDING = "pending", _("Awaiting the controller")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for more work")


class ExecutionReport(models.Model):
    """What the responsible did; the controller accepts it or returns it with a comment."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("assignment")
    )
    text = models.TextField(_("report"), max_length=20000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created"))
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=ReportOutcome.choices, default=ReportOutcome.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed"))
    review_comment = models.TextField(_("controller's comment"), blank=True, max_length=5000)

    # The author of the next history row, set by the services before a save (simple-history
    # reads it); None for a change made by a job.
    _history_user: User | None

    class Meta:
        verbose_name = _("execution report")
        verbose_name_plural = _("execution reports")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


#: An extension "until N days after the emergency is lifted" gives at most a year.
MAX_DAYS_AFTER_LIFTING = 365


class ExtensionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class Extension(models.Model):
    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name=_("assignment"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(default=timezone.now, verbose_name=_("requested"))
    old_deadline = models.DateField(_("old deadline"), null=True, blank=True)
    # Empty for an extension "until N days after the emergency is lifted" (days_after_lifting):
    # its date is the lifting's to set, on the assignment.
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    days_after_lifting = models.PositiveSmallIntegerField(
        _("days after the emergency is lifted"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DAYS_AFTER_LIFTING)],
    )
    reason = models.TextField(_("reason"), max_length=5000)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExtensionStatus.choices,
        default=ExtensionStatus.REQUESTED,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided"))
    answer = models.TextField(_("answer"), blank=True, max_length=5000)

    # The author of the next history row, set by the services before a save (simple-history
    # reads it); None for a change made by a job.
    _history_user: User | None

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        if self.new_deadline is None and self.days_after_lifting:
            return f"{self.assignment_id} → +{self.days_after_lifting}"
        return f"{self.assignment_id} → {self.new_deadline}"

    def clean(self) -> None:
        super().clean()
        if self.new_deadline is None and not self.days_after_lifting:
            raise ValidationError({"new_deadline": _("Give the new deadline.")})


class ReviewChoice(models.TextChoices):
    ACCEPT = "accept", _("Accept as done")
    EXTEND = "extend", _("Extend the deadline")
    EXTEND_AFTER_LIFTING = "extend_after_lifting", _("Extend until after the emergency is lifted")
    REASSIGN = "reassign", _("Reassign")
    KEEP = "keep", _("Keep under control")


class Review(models.Model):
    """What a later meeting decided about an earlier assignment (the review loop)."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="reviews"
    )
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reviews")
    choice = models.CharField(_("decision"), max_length=20, choices=ReviewChoice.choices)
    note = models.TextField(_("note"), blank=True, max_length=5000)
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    days_after_lifting = models.PositiveSmallIntegerField(
        _("days after the emergency is lifted"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DAYS_AFTER_LIFTING)],
    )
    new_lead_organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("new lead organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("review of an assignment")
        verbose_name_plural = _("reviews of assignments")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "assignment"], name="review_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.assignment_id} {self.choice}"


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Reminder before the deadline")
    DUE = "due", _("Due today")
    OVERDUE = "overdue", _("Overdue")
    DAILY_DIGEST = "daily_digest", _("Daily digest for controllers")
    WEEKLY_DIGEST = "weekly_digest", _("Weekly digest for executives")


class Reminder(models.Model):
    """A letter sent by the worker; the unique key makes each one go out exactly once."""

    kind = models.CharField(_("kind"), max_length=14, choices=ReminderKind.choices)
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=40, help_text="the day or week the letter is for")
    email = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "assignment", "recipient", "key"], name="reminder_once"
            ),
            models.UniqueConstraint(
                fields=["kind", "recipient", "key"],
                condition=Q(assignment__isnull=True),
                name="digest_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} → {self.email}"
