"""Ideas proposed by anyone with an account or by a resident on the open pages (with an e-mail
address confirmed by a one-time code), their supports, the project office's evaluation of them,
and its moderation of the residents' ideas."""

from __future__ import annotations

from typing import TYPE_CHECKING

import simple_history
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.core.models import Located, Searchable
from kense.core.permissions import NOTHING, Action, RestrictedQuerySet, Role, Scope

if TYPE_CHECKING:
    from kense.accounts.models import User

# Roles that read every idea of their territory: the office evaluates, the others follow.
READING_ROLES = {Role.PROJECT_OFFICE, Role.EXECUTIVE, Role.COORDINATOR}


class IdeaStatus(models.TextChoices):
    # A resident's idea arrives here; the office takes it into evaluation (or answers it).
    RECEIVED = "received", _("Received")
    # Its label already reads "under review" in Kazakh and Russian (Қаралуда, На рассмотрении).
    EVALUATING = "evaluating", _("Being evaluated")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged into another idea")


# Statuses from which the office may still accept, reject or merge an idea.
OPEN_STATUSES = (IdeaStatus.RECEIVED, IdeaStatus.EVALUATING)
LANGUAGES = settings.LANGUAGES


class IdeaQuerySet(RestrictedQuerySet):
    """Everyone sees their own ideas; the project office, executives and coordinators see the
    ideas of their territory; only the project office evaluates (changes) them."""

    def scope_q(self, scope: Scope, action: str) -> models.Q:
        own = models.Q(proposer_id=scope.user_id) if scope.user_id else NOTHING
        if action == Action.VIEW:
            if scope.role in READING_ROLES:
                return own | scope.territory_q("territory__", former=True)
            return own
        if action == Action.CHANGE and scope.role == Role.PROJECT_OFFICE:
            return scope.territory_q("territory__")
        return NOTHING


class CitizenAddress(models.Model):
    """A resident's e-mail address, confirmed by a one-time code: all the identity a resident
    has (no password, no account). Deleted on the resident's request (`address_forget`)."""

    email = models.EmailField(_("e-mail address"), max_length=254)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="kk")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    blocked_at = models.DateTimeField(_("blocked"), null=True, blank=True)
    block_reason = models.CharField(_("reason of the block"), max_length=500, blank=True)
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("blocked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("resident's address")
        verbose_name_plural = _("residents' addresses")
        constraints = [
            # Ivan@Mail.kz and ivan@mail.kz are one resident: one row, one support per idea.
            models.UniqueConstraint(Lower("email"), name="ideas_citizenaddress_email_ci"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_blocked(self) -> bool:
        return self.blocked_at is not None


class CodePurpose(models.TextChoices):
    PROPOSE = "propose", _("to propose an idea")
    SUPPORT = "support", _("to support an idea")
    MANAGE = "manage", _("to manage your ideas and your address")


class OneTimeCode(models.Model):
    """A code sent to an address to confirm it: only its hash is stored; it expires after
    CODE_LIFETIME, is used once, and is given up after MAX_WRONG_TRIES wrong tries."""

    address = models.ForeignKey(CitizenAddress, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=128)
    purpose = models.CharField(max_length=10, choices=CodePurpose.choices)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    wrong_tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["address", "created_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"


class Idea(Searchable, Located, models.Model):
    # Anyone with an account proposes; the service checks the rest.
    ADD_ROLES = set(Role)

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), max_length=20000)
    direction = models.ForeignKey(
        "programs.Direction",
        verbose_name=_("program direction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    territory = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="ideas",
        help_text=_("Where the idea would be carried out."),
    )
    # Exactly one of the two: a user of Kense, or a resident on the open pages (neither only
    # once the resident withdrew and deleted their address).
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    citizen = models.ForeignKey(
        CitizenAddress,
        verbose_name=_("proposed by a resident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    language = models.CharField(
        _("language of the proposer"), max_length=2, choices=LANGUAGES, blank=True
    )
    photo = models.FileField(_("photo"), upload_to="ideas/photos/%Y/", blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn by the proposer"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=12, choices=IdeaStatus.choices, default=IdeaStatus.EVALUATING
    )
    answer = models.TextField(
        _("answer of the project office"),
        blank=True,
        max_length=5000,
        help_text=_("What the proposer reads; required to reject an idea."),
    )
    accepted_project = models.ForeignKey(
        "programs.Project",
        verbose_name=_("became the project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    accepted_event = models.ForeignKey(
        "events.Event",
        verbose_name=_("became the event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_ideas",
    )
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    evaluated_at = models.DateTimeField(_("evaluated"), null=True, blank=True)

    objects = IdeaQuerySet.as_manager()

    # The author of the next history row, set by the services before a save (simple-history
    # reads it); None for a change made by a job.
    _history_user: User | None

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["territory", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                # Never both; one of them unless the resident withdrew and left.
                condition=(models.Q(proposer__isnull=True) | models.Q(citizen__isnull=True))
                & (
                    models.Q(proposer__isnull=False)
                    | models.Q(citizen__isnull=False)
                    | models.Q(withdrawn_at__isnull=False)
                ),
                name="ideas_idea_one_proposer",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:idea_detail", args=[self.pk])

    def search_spellings(self) -> list[str]:
        return [self.title]

    @property
    def proposed_by(self) -> str:
        """Who proposed it, as the office reads it: the user, or the resident's address."""
        if self.proposer is not None:
            return str(self.proposer)
        if self.citizen is not None:
            return str(_("A resident, %(email)s") % {"email": self.citizen.email})
        return str(_("A resident who has deleted their address"))

    @property
    def is_public(self) -> bool:
        """Whether the open pages show it: a resident's idea, neither hidden nor withdrawn."""
        return self.citizen_id is not None and self.hidden_at is None and self.withdrawn_at is None

    def clean(self) -> None:
        super().clean()
        if self.proposer_id is not None and self.citizen_id is not None:
            raise ValidationError(_("An idea has one proposer: a user or a resident, not both."))
        if self.proposer_id is None and self.citizen_id is None and self.withdrawn_at is None:
            raise ValidationError(_("An idea needs its proposer."))
        if self.status == IdeaStatus.REJECTED and not self.answer.strip():
            raise ValidationError({"answer": _("Give the proposer an answer: why not.")})
        if self.status == IdeaStatus.ACCEPTED and (
            (self.accepted_project_id is None) == (self.accepted_event_id is None)
        ):
            raise ValidationError(
                _("An accepted idea becomes one project or one event: choose exactly one.")
            )
        if self.status == IdeaStatus.MERGED:
            if self.merged_into_id is None:
                raise ValidationError({"merged_into": _("Choose the idea to merge it into.")})
            if self.merged_into_id == self.pk:
                raise ValidationError({"merged_into": _("An idea cannot be merged into itself.")})


class IdeaSupport(models.Model):
    """One confirmed address's support of one idea. The unique constraint, not a check before
    the insert, is what makes two supports at once count once."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    address = models.ForeignKey(CitizenAddress, on_delete=models.CASCADE, related_name="supports")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "address"], name="ideas_support_once"),
        ]

    def __str__(self) -> str:
        return f"{self.address_id} → {self.idea_id}"


simple_history.register(Idea, excluded_fields=["search_text"])
