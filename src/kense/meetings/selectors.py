"""Reads of meetings, through the user's scope: the list, the meeting page, its parts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from kense.accounts.models import User
from kense.core.attachments import attachments_of
from kense.core.filters import FilterValues
from kense.core.lists import kazakh_order
from kense.core.permissions import Actor, Role
from kense.meetings.filters import MeetingFilters
from kense.meetings.models import (
    AgendaItem,
    Decision,
    InvitationGroup,
    ItemKind,
    Meeting,
    MinutesAmendment,
    Participant,
)
from kense.registry.models import Organization, Person

if TYPE_CHECKING:
    from kense.assignments.models import Assignment, Review

# Who may be named the controller of an assignment: the people who accept execution.
CONTROLLER_ROLES = (Role.PROJECT_OFFICE, Role.EXECUTIVE, Role.ADMINISTRATOR)


def meeting_list(user: Actor, filters: FilterValues | None = None) -> QuerySet[Meeting]:
    """The meetings the user may see, narrowed by MeetingFilters, newest first."""
    meetings: QuerySet[Meeting] = Meeting.objects.restrict(user).select_related(
        "organizer", "territory"
    )
    return MeetingFilters.narrow(meetings, filters).order_by("-start", "pk")


def meeting_for_page(user: User, pk: int) -> Meeting:
    """The meeting with everything its page shows, in a fixed number of queries whatever the
    number of participants, items, decisions and assignments; 404 outside the user's scope."""
    from kense.assignments.models import Assignment
    from kense.core.permissions import get_visible

    assignments = Assignment.objects.restrict(user).select_related("lead_organization")
    items = AgendaItem.objects.prefetch_related(
        "speakers",
        "projects",
        Prefetch(
            "decisions",
            queryset=Decision.objects.prefetch_related(
                Prefetch("assignments", queryset=assignments.order_by("pk"))
            ).order_by("number", "pk"),
        ),
    ).order_by("order", "pk")
    queryset = Meeting.objects.select_related(
        "chair", "secretary", "organizer", "territory", "series", "approved_by__person"
    ).prefetch_related(
        "programs",
        "projects",
        Prefetch("items", queryset=items),
        Prefetch(
            "participants",
            queryset=Participant.objects.select_related(
                "person", "organization", "group", "replaced_by"
            ).order_by("pk"),
        ),
        Prefetch("amendments", queryset=_amendments()),
    )
    meeting = get_visible(queryset, user, pk=pk)
    attachments = attachments_of(meeting.items.all())
    for item in meeting.items.all():
        # For the page only: each item's files, read in one query for all the items.
        item.attachment_list = attachments[item]  # type: ignore[attr-defined]
    return meeting


def _amendments() -> models.QuerySet[MinutesAmendment]:
    return MinutesAmendment.objects.select_related("author__person").order_by("created_at", "pk")


def item_of(meeting: Meeting, pk: int) -> AgendaItem:
    """An agenda item of this (already visible) meeting, or 404."""
    try:
        return meeting.items.get(pk=pk)
    except AgendaItem.DoesNotExist as error:
        raise Http404 from error


def participant_of(meeting: Meeting, pk: int) -> Participant:
    try:
        return meeting.participants.select_related("person", "organization", "group").get(pk=pk)
    except Participant.DoesNotExist as error:
        raise Http404 from error


def decision_of(meeting: Meeting, pk: int) -> Decision:
    try:
        return Decision.objects.select_related("item").get(pk=pk, item__meeting=meeting)
    except Decision.DoesNotExist as error:
        raise Http404 from error


def people_for(user: User) -> models.QuerySet[Person]:
    """People the user may invite or name (speakers, deputies), by surname in Kazakh order."""
    people: models.QuerySet[Person] = Person.objects.restrict(user)
    return people.order_by(kazakh_order("surname"), "pk")


def invitation_groups() -> models.QuerySet[InvitationGroup]:
    return InvitationGroup.objects.select_related("position", "territory").order_by(
        kazakh_order(), "pk"
    )


def controllers() -> models.QuerySet[User]:
    """Who may be the controller of an assignment: the project office, executives and
    administrators (the people who accept execution)."""
    return (
        User.objects.filter(is_active=True, role__in=CONTROLLER_ROLES)
        .select_related("person")
        .order_by("last_name", "first_name", "username")
    )


@dataclass
class ReviewRow:
    assignment: Assignment
    review: Review | None  # the decision this meeting took on it, once recorded


def review_rows(meeting: Meeting, user: User) -> list[ReviewRow]:
    """The assignments the meeting's review item lists that the user may see, each with the
    decision recorded on it at this meeting (if any), in two queries. The page draws each
    one's traffic light ({% light %}, kense.assignments.light)."""
    from kense.assignments.models import Assignment, Review
    from kense.meetings.services import review_candidates

    seen = Assignment.objects.restrict(user).values("pk")
    reviews = {
        review.assignment_id: review
        for review in Review.objects.filter(meeting=meeting, assignment__in=seen).select_related(
            "new_lead_organization", "assignment__lead_organization", "assignment__meeting"
        )
    }
    candidates = list(review_candidates(meeting).filter(pk__in=seen))
    # An assignment reviewed here and since done no longer counts as a candidate: keep it.
    missing = set(reviews) - {assignment.pk for assignment in candidates}
    if missing:
        candidates += [reviews[pk].assignment for pk in sorted(missing)]
    return [ReviewRow(assignment, reviews.get(assignment.pk)) for assignment in candidates]


def has_review_item(meeting: Meeting) -> bool:
    return any(item.kind == ItemKind.REVIEW for item in meeting.items.all())


def review_candidate(meeting: Meeting, assignment_pk: int, user: User) -> Assignment:
    """An assignment the meeting may decide on (one of its review candidates) that the user
    may see, or 404."""
    from kense.assignments.models import Assignment
    from kense.meetings.services import review_candidates

    seen = Assignment.objects.restrict(user).values("pk")
    found = review_candidates(meeting).filter(pk=assignment_pk, pk__in=seen).first()
    if found is None:
        raise Http404
    return found


def extract_organizations(meeting: Meeting) -> list[Organization]:
    """The organizations that lead an assignment given by this meeting (each gets an extract)."""
    return list(
        Organization.objects.filter(led_assignments__meeting=meeting)
        .distinct()
        .order_by(kazakh_order(), "pk")
    )
