"""What the open pages read: only what the office has published, never a field the public
should not see (the templates name each field they show; internal notes, contacts and drafts
are never handed to them)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kense.assignments.models import Assignment, Status
from kense.core.lists import kazakh_order
from kense.documents.models import Document
from kense.events.models import Event, EventStatus
from kense.indicators.models import Methodology
from kense.media.models import Publication
from kense.meetings.models import AgendaItem, Decision, Meeting, MeetingState
from kense.programs.models import Program, ProgramStatus, Project
from kense.registry.models import Territory, TerritoryKind

# How many of each kind a place's page lists before "all".
SHOWN = 8
# The kinds of place with a page of their own: the country, regions, cities and districts.
PLACE_KINDS = (
    TerritoryKind.COUNTRY,
    TerritoryKind.REGION,
    TerritoryKind.CITY,
    TerritoryKind.DISTRICT,
)


def published_projects() -> QuerySet[Project]:
    return Project.objects.filter(published_at__isnull=False)


def published_events() -> QuerySet[Event]:
    return Event.objects.filter(published_at__isnull=False)


def published_meetings() -> QuerySet[Meeting]:
    # A draft meeting is never published (publication_set refuses); checked again so that a
    # meeting put back to draft disappears.
    return Meeting.objects.filter(published_at__isnull=False).exclude(state=MeetingState.DRAFT)


def published_documents() -> QuerySet[Document]:
    return Document.objects.filter(published_at__isnull=False)


def published_rankings() -> QuerySet[Methodology]:
    return Methodology.objects.filter(published_at__isnull=False).select_related("published_by")


def public_ranking(methodology: Methodology) -> Any:
    """The published ranking as the office that published it sees it: its region's cities
    and districts on the methodology's year, with the explanation of each score, and its map
    linking to the places' open pages. None when nobody published it."""
    from kense.indicators import maps
    from kense.indicators.selectors.results import ranking
    from kense.indicators.views.results import explained

    publisher = methodology.published_by
    if publisher is None:
        return None
    ranked = ranking(publisher, methodology, methodology.year)
    picture = maps.ranking_picture(publisher, ranked, link="public:territory")
    # A place of that year that is no more has no open page to link to.
    gone = {str(pk) for pk, territory in ranked.territories.items() if territory.valid_to}
    for area in picture.areas if picture else []:
        if area.key in gone:
            area.url = ""
    return {
        "ranking": ranked,
        "groups": [(label, explained(ranked, scores)) for label, scores in ranked.groups()],
        "picture": picture,
    }


def published_news() -> QuerySet[Publication]:
    return Publication.objects.filter(published_at__isnull=False)


def place(pk: int) -> Territory:
    """A place with a page: a current country, region, city or district, or 404."""
    try:
        return Territory.objects.select_related("parent").get(
            pk=pk, kind__in=PLACE_KINDS, valid_to__isnull=True
        )
    except Territory.DoesNotExist as error:
        raise Http404 from error


def places_above(territory: Territory | None) -> list[dict[str, Any]]:
    """The breadcrumbs: the open pages' home, then each place down to `territory`, linked
    (a place's own page unlinks its last)."""
    crumbs: list[dict[str, Any]] = [{"name": _("Open pages"), "url": reverse("public:home")}]
    if territory is None:
        return crumbs
    keys = [int(part) for part in territory.path.strip("/").split("/") if part.isdigit()]
    chain = Territory.objects.filter(pk__in=keys, kind__in=PLACE_KINDS).order_by("depth")
    crumbs += [
        {"name": unit.name, "url": reverse("public:territory", args=[unit.pk])} for unit in chain
    ]
    return crumbs


def _in_place(territory: Territory | None, prefix: str = "territory__") -> Q:
    if territory is None:
        return Q()
    return Q(**{f"{prefix}path__startswith": territory.path})


@dataclass
class PlacePage:
    """What a place's open page shows (the country's when `territory` is None)."""

    territory: Territory | None
    places: list[Territory]
    projects: list[Project]
    upcoming: list[Event]
    past: list[Event]
    meetings: list[Meeting]
    documents: list[Document]
    news: list[Publication]
    ideas: list[Any]
    programs: list[Program] = field(default_factory=list)
    rankings: list[Methodology] = field(default_factory=list)


def place_page(territory: Territory | None, today: datetime.date) -> PlacePage:
    """The published work of a place and of every place inside it: the places one level
    down, projects, the next and the latest events, meetings, guidelines, news and the
    residents' ideas. A fixed number of queries, whatever the data."""
    from kense.ideas.public import public_ideas

    inside = _in_place(territory)
    if territory is None:
        places = Territory.objects.filter(parent__isnull=True)
        # A single country at the top: its regions are the country page's places.
        if places.count() == 1:
            places = Territory.objects.filter(parent__parent__isnull=True, parent__isnull=False)
    else:
        places = Territory.objects.filter(parent=territory)
    places = places.filter(kind__in=PLACE_KINDS, valid_to__isnull=True).order_by(
        kazakh_order(), "pk"
    )
    events = published_events().filter(inside).select_related("territory", "project")
    return PlacePage(
        territory=territory,
        places=list(places),
        projects=list(project_progress(published_projects().filter(inside))[:SHOWN]),
        upcoming=list(events.filter(end__gte=today).order_by("start", "pk")[:SHOWN]),
        past=list(events.filter(end__lt=today).order_by("-start", "-pk")[:SHOWN]),
        meetings=list(
            published_meetings()
            .filter(inside)
            .select_related("territory")
            .order_by("-start", "-pk")[:SHOWN]
        ),
        documents=list(published_documents().order_by("-created_at", "-pk")[:SHOWN])
        if territory is None or territory.depth <= 1
        else [],
        news=list(place_news(territory).select_related("outlet").order_by("-date", "-pk")[:SHOWN]),
        ideas=list(public_ideas(territory=territory)[:SHOWN]),
        programs=list(Program.objects.order_by("-start", "pk")) if territory is None else [],
        rankings=_rankings_of(territory)
        if territory is None or territory.kind == TerritoryKind.REGION
        else [],
    )


def _rankings_of(territory: Territory | None) -> list[Methodology]:
    """The published rankings of a region: those its own office published (a ranking covers
    the region of the office that publishes it); all of them on the country's page."""
    rankings = published_rankings()
    if territory is not None:
        rankings = rankings.filter(published_by__territory__path__startswith=territory.path)
    return list(rankings.order_by("-year", "-published_at")[:SHOWN])


def place_news(territory: Territory | None) -> QuerySet[Publication]:
    """Published publications about the place or any place inside it."""
    if territory is None:
        return published_news()
    links: Any = Publication.territories.through
    about = links.objects.filter(
        publication_id=OuterRef("pk"), territory__path__startswith=territory.path
    )
    return published_news().filter(Exists(about))


def project_progress(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Projects with their published events counted: `events_total`, `events_held`, in the
    order the public reads them (active first, then planned, then completed). The counts are
    subqueries of each row shown, not a join of every project's events grouped before the
    page is cut (a second for the country's 600 projects and million events)."""

    def counted(**where: Any) -> Subquery:
        rows = Event.objects.filter(project=OuterRef("pk"), published_at__isnull=False, **where)
        return Subquery(
            rows.order_by().values("project").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        )

    return (
        projects.select_related("territory", "program")
        .annotate(
            events_total=Coalesce(counted(), 0),
            events_held=Coalesce(counted(status=EventStatus.HELD), 0),
        )
        .order_by(_status_order(), "-start", "pk")
    )


def _status_order() -> Any:
    from django.db.models import Case, IntegerField, Value, When

    ranks = [ProgramStatus.ACTIVE, ProgramStatus.PLANNED, ProgramStatus.SUSPENDED]
    return Case(
        *[When(status=status, then=Value(rank)) for rank, status in enumerate(ranks)],
        default=Value(len(ranks)),
        output_field=IntegerField(),
    )


class Stage:
    """The steps of a trail, in the order a thing travels them."""

    IDEA = "idea"
    DECISION = "decision"
    EVENT = "event"
    PUBLICATION = "publication"


STAGE_LABELS = {
    Stage.IDEA: _("Idea"),
    Stage.DECISION: _("Meeting decision"),
    Stage.EVENT: _("Event"),
    Stage.PUBLICATION: _("In the media"),
}


@dataclass
class Task:
    """An assignment as the public reads it: its deadline and where it stands, not its text
    or its executors' names."""

    deadline: datetime.date | None
    state: str  # on_track, overdue, done, withdrawn
    label: str


@dataclass
class Step:
    stage: str
    day: datetime.date | None
    title: str
    url: str | None
    state: str = ""
    detail: str = ""
    tasks: list[Task] = field(default_factory=list)

    @property
    def stage_label(self) -> str:
        return str(STAGE_LABELS[self.stage])


TASK_STATES = {
    "on_track": _("on track"),
    "overdue": _("overdue"),
    "done": _("done"),
    "withdrawn": _("withdrawn"),
}


def task_state(assignment: Assignment, today: datetime.date) -> str:
    if assignment.status == Status.DONE:
        return "done"
    if assignment.status == Status.WITHDRAWN:
        return "withdrawn"
    return "overdue" if assignment.is_overdue(today) else "on_track"


def project_trail(project: Project, *, today: datetime.date, user: Any = None) -> list[Step]:
    """The way from the people's idea to what came of it: the ideas accepted into the
    project, the meeting decisions about it with their assignments' deadlines and states, its
    events and the publications about it. For the public (no `user`) only what is published,
    and decisions only from approved minutes; for a user inside Kense what they may see.
    Each stage shows its latest TRAIL_STEPS steps. Five queries."""
    from kense.core.permissions import restrict
    from kense.ideas.public import public_ideas

    def scoped(rows: QuerySet[Any], published: QuerySet[Any]) -> QuerySet[Any]:
        return published if user is None else restrict(rows, user)

    public = user is None
    ideas = scoped(_ideas_of(project), public_ideas().filter(accepted_project=project))
    if not public:
        ideas = ideas.filter(accepted_project=project)
    meetings = scoped(Meeting.objects.all(), published_meetings())
    if public:
        meetings = meetings.filter(state=MeetingState.APPROVED)
    about = Q(item__projects=project) | Q(item__meeting__projects=project)
    decisions = (
        Decision.objects.filter(about, item__meeting__in=meetings.values("pk"))
        .select_related("item__meeting")
        .distinct()
        .order_by("-item__meeting__start", "-item__order", "-number", "-pk")
    )
    assignments = scoped(Assignment.objects.all(), Assignment.objects.all()).filter(
        decision__in=decisions.values("pk")
    )
    decisions = decisions.prefetch_related(
        Prefetch("assignments", queryset=assignments.order_by("deadline", "pk"), to_attr="tasks")
    )
    events = scoped(Event.objects.all(), published_events()).filter(project=project)
    news = scoped(Publication.objects.all(), published_news()).filter(projects=project)

    steps = [
        Step(
            Stage.IDEA,
            idea.created_at.date(),
            idea.title,
            _link(idea, public, "public:idea_detail"),
            state=idea.get_status_display(),
        )
        for idea in _latest(ideas.order_by("-created_at", "-pk"))
    ]
    for decision in _latest(decisions):
        meeting = decision.item.meeting
        steps.append(
            Step(
                Stage.DECISION,
                meeting.start.date(),
                f"{decision.number}. {decision.text}",
                _link(meeting, public, "public:meeting"),
                detail=meeting.title,
                tasks=[
                    Task(task.deadline, state, str(TASK_STATES[state]))
                    for task in decision.tasks
                    for state in [task_state(task, today)]
                ],
            )
        )
    for event in _latest(events.order_by("-start", "-pk")):
        steps.append(
            Step(
                Stage.EVENT,
                event.start,
                event.title,
                _link(event, public, "public:event"),
                state=event.get_status_display(),
                detail=event.outcome if event.status == EventStatus.HELD else "",
            )
        )
    for publication in _latest(news.select_related("outlet").order_by("-date", "-pk")):
        steps.append(
            Step(
                Stage.PUBLICATION,
                publication.date,
                publication.title,
                _link(publication, public, "public:news"),
                detail=str(publication.outlet) if publication.outlet_id else "",
            )
        )
    return steps


# A trail shows the latest steps of each stage, not all of a project of ten years (a national
# project has thousands of events): its page costs the same whatever the project's size.
TRAIL_STEPS = 30


def _latest(rows: QuerySet[Any]) -> list[Any]:
    """The newest TRAIL_STEPS rows of a newest-first queryset, oldest first."""
    return list(reversed(rows[:TRAIL_STEPS]))


def _ideas_of(project: Project) -> QuerySet[Any]:
    from kense.ideas.models import Idea

    return Idea.objects.all()


def _link(obj: Any, public: bool, name: str) -> str:
    return reverse(name, args=[obj.pk]) if public else obj.get_absolute_url()


def meeting_extract(meeting: Meeting) -> list[AgendaItem]:
    """The agenda of a published meeting, and its decisions once the minutes are approved:
    never what was heard or said (the minutes' notes), nor who was invited. Two queries."""
    items = AgendaItem.objects.filter(meeting=meeting).order_by("order", "pk")
    if meeting.state == MeetingState.APPROVED:
        items = items.prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.order_by("number", "pk"))
        )
    return list(items)


def current_versions(document: Document) -> list[Any]:
    """The newest file of a published document in each language."""
    newest: dict[str, Any] = {}
    for version in document.versions.order_by("language", "-number"):
        newest.setdefault(version.language, version)
    return list(newest.values())


def picture(attachment: Any, longest: int) -> bytes:
    """A JPEG of the stored photo at most `longest` pixels on its longer side, without EXIF."""
    import io

    from PIL import Image, ImageOps

    with attachment.file.open("rb") as stored, Image.open(stored) as opened:
        image = ImageOps.exif_transpose(opened).convert("RGB")
        image.thumbnail((longest, longest))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=72, optimize=True)
    return out.getvalue()
