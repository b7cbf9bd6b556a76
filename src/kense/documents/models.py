"""The document library: guidelines, orders, plans and presentations, their versions, their
distribution to organizations and each recipient's acknowledgment."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.core.models import Publishable, Searchable
from kense.core.permissions import NOTHING, Action, RestrictedQuerySet, Role, Scope
from kense.registry.models import OrganizationKind, TerritoryKind

if TYPE_CHECKING:
    from kense.accounts.models import User


class DocumentKind(models.TextChoices):
    GUIDELINE = "guideline", _("Methodological guideline")
    ORDER = "order", _("Order")
    PLAN = "plan", _("Plan")
    PRESENTATION = "presentation", _("Presentation")


class Language(models.TextChoices):
    KK = "kk", _("Kazakh")
    RU = "ru", _("Russian")


class DocumentQuerySet(RestrictedQuerySet):
    """The library is region-wide: everyone with an account reads, the project office writes."""

    def scope_q(self, scope: Scope, action: str) -> models.Q:
        if action == Action.VIEW:
            return models.Q()
        if action in (Action.CHANGE, Action.ADD) and scope.role == Role.PROJECT_OFFICE:
            return models.Q()
        return NOTHING


class Document(Searchable, Publishable, models.Model):
    """A document of the program, in kk and ru versions, by a person or an organization."""

    ADD_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE}

    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("type"), max_length=20, choices=DocumentKind.choices)
    description = models.TextField(_("description"), blank=True, max_length=20000)
    author_person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("author (person)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    author_organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("author (organization)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = DocumentQuerySet.as_manager()

    # The author of the next history row, set by the services before a save (simple-history
    # reads it); None for a change made by a job.
    _history_user: User | None

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:document_detail", args=[self.pk])

    @property
    def author(self) -> Any:
        return self.author_person or self.author_organization

    def clean(self) -> None:
        super().clean()
        if self.author_person_id and self.author_organization_id:
            raise ValidationError(
                _("The author is a person or an organization, not both."),
            )

    def search_spellings(self) -> list[str]:
        spellings = [
            getattr(self, f"{field}_{language}") or ""
            for field in ("title", "description")
            for language in ("kk", "ru", "en")
        ]
        if self.pk is not None:
            spellings.extend(self.versions.values_list("extracted_text", flat=True))
        return spellings

    def refresh_search_text(self) -> None:
        # The text of a file can hold tens of thousands of words: a dict keeps the distinct
        # terms in order in linear time (Searchable's list check is quadratic).
        from kense.text.kazakh import search_terms

        terms: dict[str, None] = {}
        for spelling in self.search_spellings():
            terms.update(dict.fromkeys(search_terms(spelling or "")))
        self.search_text = " " + " ".join(terms) + " "


def version_path(instance: DocumentVersion, filename: str) -> str:
    stamp = timezone.now()
    return f"documents/{stamp:%Y/%m}/{instance.document_id}/{filename}"


VERSION_EXTENSIONS = ("pdf", "docx", "pptx")


class DocumentVersion(models.Model):
    """One file of a document in one language; a new file is a new version with a note."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    file = models.FileField(_("file"), upload_to=version_path, max_length=300)
    file_name = models.CharField(_("file name"), max_length=200)
    mime_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    change_note = models.TextField(_("what changed"), blank=True, max_length=5000)
    # The words of the file, for the library's search (empty for a PDF when pdftotext is
    # missing, and for presentations).
    extracted_text = models.TextField(editable=False, blank=True, default="")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "language", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "language", "number"], name="document_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} ({self.language}, {self.number})"

    def get_absolute_url(self) -> str:
        return reverse("documents:version_download", args=[self.document_id, self.pk])


class DistributionMode(models.TextChoices):
    MANDATORY = "mandatory", _("Mandatory")
    INFORMATION = "information", _("For information")


# Who may be sent a document: the akimats of districts and cities, the regional departments,
# and institutions by type.
AUDIENCE_KINDS = [
    OrganizationKind.AKIMAT,
    OrganizationKind.DEPARTMENT,
    OrganizationKind.DIVISION,
    OrganizationKind.SCHOOL,
    OrganizationKind.COLLEGE,
    OrganizationKind.UNIVERSITY,
    OrganizationKind.CULTURE,
]
# "All districts and cities": the akimat audience is the akimats of these territories.
AKIMAT_TERRITORY_KINDS = [TerritoryKind.CITY, TerritoryKind.DISTRICT]


class Distribution(models.Model):
    """A document sent to a group of organizations; the group is expanded at sending time
    and frozen in its recipients."""

    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="distributions",
    )
    organization_kinds = models.JSONField(_("organization types"), default=list)
    territory = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("within territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the whole region."),
    )
    mode = models.CharField(
        _("mode"),
        max_length=12,
        choices=DistributionMode.choices,
        default=DistributionMode.MANDATORY,
    )
    deadline = models.DateField(_("acknowledge by"), null=True, blank=True)
    report_requested = models.BooleanField(
        _("report on application requested"),
        default=False,
        help_text=_("Recipients describe how they apply the document when they acknowledge."),
    )
    message = models.TextField(_("message"), blank=True, max_length=5000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        ordering = ["-sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.document} → {', '.join(self.organization_kinds)}"

    def clean(self) -> None:
        super().clean()
        kinds = self.organization_kinds
        if not isinstance(kinds, list) or not kinds:
            raise ValidationError({"organization_kinds": _("Choose at least one audience.")})
        if any(kind not in AUDIENCE_KINDS for kind in kinds):
            raise ValidationError(
                {
                    "organization_kinds": _(
                        "Select a valid choice. That choice is not one of the available choices."
                    )
                }
            )
        if self.mode == DistributionMode.MANDATORY and self.deadline is None:
            raise ValidationError({"deadline": _("A mandatory document needs a deadline.")})

    def kind_labels(self) -> list[str]:
        labels = dict(OrganizationKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.organization_kinds]


class RecipientQuerySet(RestrictedQuerySet):
    """A recipient is seen by the project office and the regional roles of its territory, by
    coordinators of its territory and by its own organization (and those above it); only its
    own organization's users, or people appointed there, acknowledge."""

    def scope_q(self, scope: Scope, action: str) -> models.Q:
        if action == Action.VIEW:
            q = scope.organization_q("organization__", former=True)
            if scope.role == Role.COORDINATOR:
                q = scope.territory_q("organization__territory__")
            return q | self._appointed(scope)
        if action == Action.CHANGE:
            q = self._appointed(scope)
            if scope.is_organization_bound and scope.organization_path:
                q |= models.Q(organization__path=scope.organization_path)
            return q
        return NOTHING

    @staticmethod
    def _appointed(scope: Scope) -> models.Q:
        """The organizations where the user's person holds a post today (the head of an
        organization acknowledges for it, whatever their account's role)."""
        if scope.person_id is None:
            return NOTHING
        from kense.registry.models import Appointment

        today = timezone.localdate()
        posts = Appointment.objects.filter(
            models.Q(end__isnull=True) | models.Q(end__gte=today),
            person_id=scope.person_id,
            start__lte=today,
        )
        return models.Q(organization__in=posts.values("organization_id"))


class Recipient(models.Model):
    """An organization a document was sent to, and its acknowledgment."""

    distribution = models.ForeignKey(
        Distribution,
        verbose_name=_("distribution"),
        on_delete=models.CASCADE,
        related_name="recipients",
    )
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    report = models.TextField(_("how the document is applied"), blank=True, max_length=20000)

    objects = RecipientQuerySet.as_manager()

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["distribution", "organization__path", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "organization"], name="document_recipient_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.distribution_id} → {self.organization_id}"

    def get_absolute_url(self) -> str:
        return reverse("documents:acknowledge", args=[self.pk])

    def is_overdue(self, today: datetime.date) -> bool:
        deadline = self.distribution.deadline
        return self.acknowledged_at is None and deadline is not None and deadline < today


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Before the deadline")
    OVERDUE = "overdue", _("Overdue")


class DocumentReminder(models.Model):
    """A reminder letter about an acknowledgment; the unique key sends each exactly once."""

    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=40, help_text="the deadline (and days) the letter is for")
    email = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("document reminder")
        verbose_name_plural = _("document reminders")
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "user", "key"], name="document_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} → {self.email}"
