"""Ideas proposed by anyone with an account, and the project office's evaluation of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import simple_history
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.core.models import Searchable
from kense.core.permissions import NOTHING, Action, RestrictedQuerySet, Role, Scope

if TYPE_CHECKING:
    from kense.accounts.models import User

# Roles that read every idea of their territory: the office evaluates, the others follow.
READING_ROLES = {Role.PROJECT_OFFICE, Role.EXECUTIVE, Role.COORDINATOR}


class IdeaStatus(models.TextChoices):
    EVALUATING = "evaluating", _("Being evaluated")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged into another idea")


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


class Idea(Searchable, models.Model):
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
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="ideas",
    )
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

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:idea_detail", args=[self.pk])

    def search_spellings(self) -> list[str]:
        return [self.title]

    def clean(self) -> None:
        super().clean()
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


simple_history.register(Idea, excluded_fields=["search_text"])
