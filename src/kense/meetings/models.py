"""Meetings: who is invited, what is on the agenda, what was heard and decided."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.core.models import Located, Publishable, Searchable
from kense.core.permissions import NOTHING, Action, RestrictedQuerySet, Role, Scope

if TYPE_CHECKING:
    from kense.accounts.models import User


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular meeting")
    EXTRAORDINARY = "extraordinary", _("Extraordinary meeting")
    WORKING_GROUP = "working_group", _("Working group")
    YEAR_END = "year_end", _("Year-end meeting")


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class MeetingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled (invitations sent)")
    IN_PROGRESS = "in_progress", _("In progress")
    HELD = "held", _("Held (minutes being written)")
    APPROVED = "approved", _("Minutes approved")


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class MeetingQuerySet(RestrictedQuerySet):
    """A meeting is seen inside its territory's scope, by its organizer's people, and by
    everyone invited to it; it is changed by the project office and by its organizer."""

    territory_field = "territory"

    def scope_q(self, scope: Scope, action: str) -> Q:
        invited = (
            Q(pk__in=Participant.objects.filter(person_id=scope.person_id).values("meeting"))
            if scope.person_id is not None
            else NOTHING
        )
        if action == Action.VIEW:
            if scope.is_organization_bound:
                return (
                    scope.organization_q("organizer__")
                    | Q(
                        pk__in=Participant.objects.filter(
                            scope.organization_q("organization__")
                        ).values("meeting")
                    )
                    | invited
                )
            return scope.territory_q("territory__", former=True) | invited
        if action in (Action.CHANGE, Action.ADD):
            if scope.role in (Role.PROJECT_OFFICE, Role.COORDINATOR):
                return scope.territory_q("territory__")
            if scope.role == Role.DEPARTMENT:
                return scope.organization_q("organizer__")
        return NOTHING


class MeetingSeries(models.Model):
    """Recurring meetings (weekly, monthly, quarterly): a new one carries over open items."""

    title = models.CharField(_("title"), max_length=300)
    recurrence = models.CharField(_("recurrence"), max_length=10, choices=Recurrence.choices)

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")

    def __str__(self) -> str:
        return self.title


class Meeting(Searchable, Located, Publishable, models.Model):
    ADD_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE, Role.COORDINATOR, Role.DEPARTMENT}

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    format = models.CharField(
        _("format"), max_length=10, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    video_url = models.URLField(_("video-conference link"), blank=True, max_length=500)
    video_meeting_id = models.CharField(_("meeting ID"), max_length=50, blank=True)
    video_passcode = models.CharField(_("passcode"), max_length=50, blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    chair = models.ForeignKey(
        "registry.Person",
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    secretary = models.ForeignKey(
        "registry.Person",
        verbose_name=_("secretary"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organizer = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organizer"),
        on_delete=models.PROTECT,
        related_name="organized_meetings",
    )
    territory = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text=_("Whose meeting it is: the region, or one city or district."),
    )
    programs = models.ManyToManyField(
        "programs.Program", verbose_name=_("programs"), blank=True, related_name="meetings"
    )
    projects = models.ManyToManyField(
        "programs.Project", verbose_name=_("projects"), blank=True, related_name="meetings"
    )
    series = models.ForeignKey(
        MeetingSeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=MeetingState.choices, default=MeetingState.DRAFT
    )
    invitations_sent_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    # «ХАТТАМА № 3»: numbered per organizer and calendar year; typed while the minutes are
    # written, or given the next free number when they are approved.
    protocol_number = models.PositiveIntegerField(
        _("minutes number"),
        null=True,
        blank=True,
        help_text=_(
            "Numbered per organizer and year. Left empty, the next number is given when the "
            "minutes are approved."
        ),
    )
    # Marked held before its day only on purpose, with the reason (kept in the history).
    held_early_reason = models.CharField(
        _("reason for holding it earlier than planned"), max_length=500, blank=True
    )
    approved_at = models.DateTimeField(_("minutes approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Optimistic locking of the minutes: a save carries the revision it started from, and a
    # save from an older revision is refused instead of overwriting someone else's work.
    minutes_revision = models.PositiveIntegerField(default=0, editable=False)
    # iCalendar identity: the same UID and a growing SEQUENCE let calendars update the event.
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    ics_sequence = models.PositiveIntegerField(default=0, editable=False)

    objects = MeetingQuerySet.as_manager()

    # The author of the next history row, set by the services before a save (simple-history
    # reads it); None for a change made by a job.
    _history_user: User | None

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-start", "pk"]
        indexes = [models.Index(fields=["territory", "start"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])

    def search_spellings(self) -> list[str]:
        return [getattr(self, f"title_{language}") or "" for language in ("kk", "ru", "en")]

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The meeting ends before it starts.")})
        if self.format in (MeetingFormat.ONLINE, MeetingFormat.HYBRID) and not self.video_url:
            raise ValidationError(
                {"video_url": _("An online or hybrid meeting needs its video-conference link.")}
            )
        if self.format in (MeetingFormat.IN_PERSON, MeetingFormat.HYBRID) and not self.venue:
            raise ValidationError({"venue": _("A meeting in person needs its venue.")})

    @property
    def is_locked(self) -> bool:
        """Approved minutes change only through amendments."""
        return self.state == MeetingState.APPROVED

    @property
    def day(self) -> datetime.date:
        return timezone.localtime(self.start).date()


class InvitationGroupQuerySet(RestrictedQuerySet["InvitationGroup"]):
    def scope_q(self, scope: Scope, action: str) -> models.Q:
        # Every signed-in user sees the groups (what they expand to is scoped, see
        # services.group_members); the project office changes them.
        if action == Action.VIEW or scope.role == Role.PROJECT_OFFICE:
            return models.Q()
        return NOTHING


class InvitationGroup(models.Model):
    """A group invited in one step: the holders of a position in organizations of some kinds,
    in a territory subtree and of some territory kinds ("the deputy akims of all cities and
    districts", "heads of regional departments", "vice-rectors of universities"). Every
    organizer invites with them; the project office defines them."""

    ADD_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE}

    name = models.CharField(_("name"), max_length=200)
    position = models.ForeignKey(
        "registry.Position", verbose_name=_("position"), on_delete=models.PROTECT
    )
    organization_kinds = models.JSONField(_("organization types"), default=list, blank=True)
    territory = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("within territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    territory_kinds = models.JSONField(_("territory types"), default=list, blank=True)

    objects = models.Manager.from_queryset(InvitationGroupQuerySet)()

    class Meta:
        verbose_name = _("invitation group")
        verbose_name_plural = _("invitation groups")

    def __str__(self) -> str:
        return self.name


class ParticipantRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")
    SPEAKER = "speaker", _("Speaker")
    MEMBER = "member", _("Participant")
    GUEST = "guest", _("Guest")


class Attendance(models.TextChoices):
    EXPECTED = "expected", _("Expected")
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")
    REPLACED = "replaced", _("Replaced by a deputy")


class Participant(models.Model):
    """An invited person, with the post they held when invited (frozen with the invitation)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participants", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    position_title = models.CharField(_("position"), max_length=300, blank=True)
    group = models.ForeignKey(
        InvitationGroup,
        verbose_name=_("invited as part of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    role = models.CharField(
        _("role"), max_length=10, choices=ParticipantRole.choices, default=ParticipantRole.MEMBER
    )
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.EXPECTED
    )
    replaced_by = models.ForeignKey(
        "registry.Person",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    online = models.BooleanField(_("online"), default=False)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)

    # The author of the next history row, set by the services before a save (simple-history
    # reads it); None for a change made by a job.
    _history_user: User | None

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="participant_once")
        ]

    def __str__(self) -> str:
        return str(self.person)

    def clean(self) -> None:
        super().clean()
        if self.attendance == Attendance.REPLACED and not self.replaced_by_id:
            raise ValidationError({"replaced_by": _("Name the deputy who came instead.")})


class ItemKind(models.TextChoices):
    REGULAR = "regular", _("Regular item")
    REVIEW = "review", _("Review of earlier assignments")


class AgendaItem(Searchable, models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ItemKind.choices, default=ItemKind.REGULAR
    )
    duration_minutes = models.PositiveSmallIntegerField(_("duration, minutes"), default=10)
    speakers = models.ManyToManyField(
        "registry.Person", verbose_name=_("speakers"), blank=True, related_name="+"
    )
    projects = models.ManyToManyField(
        "programs.Project", verbose_name=_("projects"), blank=True, related_name="agenda_items"
    )
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
    )
    heard = models.TextField(_("heard"), blank=True, max_length=20000)
    discussion = models.TextField(_("discussion"), blank=True, max_length=20000)
    closed = models.BooleanField(
        _("settled"),
        default=False,
        help_text=_("Open items carry over to the series' next meeting."),
    )

    # The author of the next history row, set by the services before a save (simple-history
    # reads it); None for a change made by a job.
    _history_user: User | None

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    def search_spellings(self) -> list[str]:
        return [getattr(self, f"title_{language}") or "" for language in ("kk", "ru", "en")]


class Decision(models.Model):
    """A numbered decision of an agenda item («ШЕШІЛДІ: 1. …»); it may become an assignment."""

    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("agenda item"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"), max_length=5000)

    # The author of the next history row, set by the services before a save (simple-history
    # reads it); None for a change made by a job.
    _history_user: User | None

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["item", "number", "pk"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class MinutesAmendment(models.Model):
    """A change to approved minutes: kept beside them, never written over them."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="amendments")
    text = models.TextField(_("amendment"), max_length=10000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("amendment to the minutes")
        verbose_name_plural = _("amendments to the minutes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
