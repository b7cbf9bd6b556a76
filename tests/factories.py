"""factory_boy factories for the registry, programs and accounts.

Every factory creates through the model's save(), so derived fields (tree path and depth,
search_text) are computed as in production. Translated fields are set per language
(name_kk, name_ru), never through the untranslated attribute, whose meaning depends on the
active language.
"""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from kense.accounts.models import User
from kense.core.permissions import Role
from kense.programs.models import Direction, Program, ProgramStatus, Project
from kense.registry.models import (
    Appointment,
    Organization,
    OrganizationKind,
    Person,
    Position,
    StaffPost,
    Territory,
    TerritoryKind,
)


class TerritoryFactory(DjangoModelFactory):
    class Meta:
        model = Territory

    name_kk = factory.Sequence(lambda n: f"Аумақ {n}")
    name_ru = factory.Sequence(lambda n: f"Территория {n}")
    kind = TerritoryKind.DISTRICT
    parent = None


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name_kk = factory.Sequence(lambda n: f"Ұйым {n}")
    name_ru = factory.Sequence(lambda n: f"Организация {n}")
    kind = OrganizationKind.OTHER
    territory = factory.SubFactory(TerritoryFactory)
    parent = None


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    surname_kk = factory.Sequence(lambda n: f"Тегі{n}")
    surname_ru = factory.Sequence(lambda n: f"Фамилия{n}")
    given_name_kk = factory.Sequence(lambda n: f"Аты{n}")
    given_name_ru = factory.Sequence(lambda n: f"Имя{n}")
    territory = None


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"position-{n}")
    name_kk = factory.Sequence(lambda n: f"Лауазым {n}")
    name_ru = factory.Sequence(lambda n: f"Должность {n}")


class StaffPostFactory(DjangoModelFactory):
    class Meta:
        model = StaffPost

    organization = factory.SubFactory(OrganizationFactory)
    position = factory.SubFactory(PositionFactory)


class AppointmentFactory(DjangoModelFactory):
    class Meta:
        model = Appointment

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    position = factory.SubFactory(PositionFactory)
    start = datetime.date(2024, 1, 1)
    end = None


class UserFactory(DjangoModelFactory):
    """A user with a role; give a territory (regional roles, coordinators) or an organization
    (departments, institutions) to set where the role applies."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.kz")
    password = factory.django.Password("kense-test-password")
    role = Role.OBSERVER
    territory = None
    organization = None


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program

    code = factory.Sequence(lambda n: f"program-{n}")
    name_kk = factory.Sequence(lambda n: f"Бағдарлама {n}")
    name_ru = factory.Sequence(lambda n: f"Программа {n}")
    status = ProgramStatus.ACTIVE


class DirectionFactory(DjangoModelFactory):
    class Meta:
        model = Direction

    program = factory.SubFactory(ProgramFactory)
    name_kk = factory.Sequence(lambda n: f"Бағыт {n}")
    name_ru = factory.Sequence(lambda n: f"Направление {n}")


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project

    program = factory.SubFactory(ProgramFactory)
    territory = factory.SubFactory(TerritoryFactory)
    name_kk = factory.Sequence(lambda n: f"Жоба {n}")
    name_ru = factory.Sequence(lambda n: f"Проект {n}")
    status = ProgramStatus.ACTIVE


class MeetingFactory(DjangoModelFactory):
    """A scheduled meeting in person, 15 February 2021, 10:00–12:00 in Almaty time."""

    class Meta:
        model = "meetings.Meeting"

    title_kk = factory.Sequence(lambda n: f"Кеңес {n}")
    title_ru = factory.Sequence(lambda n: f"Совещание {n}")
    venue = "Akimat, hall 1"
    start = datetime.datetime(2021, 2, 15, 4, 0, tzinfo=datetime.UTC)
    end = datetime.datetime(2021, 2, 15, 6, 0, tzinfo=datetime.UTC)
    state = "scheduled"
    organizer = factory.SubFactory(OrganizationFactory)
    territory = factory.SelfAttribute("organizer.territory")


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = "meetings.Participant"

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = "meetings.AgendaItem"

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n)
    title_kk = factory.Sequence(lambda n: f"Мәселе {n}")
    title_ru = factory.Sequence(lambda n: f"Вопрос {n}")


class DecisionFactory(DjangoModelFactory):
    class Meta:
        model = "meetings.Decision"

    item = factory.SubFactory(AgendaItemFactory)
    number = factory.Sequence(lambda n: n + 1)
    text_kk = factory.Sequence(lambda n: f"Шешім {n}")
    text_ru = factory.Sequence(lambda n: f"Решение {n}")


class AssignmentFactory(DjangoModelFactory):
    """An assignment by a date; given a decision, it comes from that decision's meeting."""

    class Meta:
        model = "assignments.Assignment"

    text_kk = factory.Sequence(lambda n: f"Тапсырма {n}")
    text_ru = factory.Sequence(lambda n: f"Поручение {n}")
    decision = None
    meeting = factory.LazyAttribute(lambda a: a.decision.item.meeting if a.decision else None)
    source_kind = factory.LazyAttribute(lambda a: "meeting" if a.meeting else "order")
    order_reference = factory.LazyAttribute(lambda a: "" if a.meeting else "№ 1")
    lead_organization = factory.SubFactory(OrganizationFactory)
    territory = factory.SelfAttribute("lead_organization.territory")
    deadline_kind = "date"
    deadline = datetime.date(2021, 6, 1)
    controller = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("controller")


class EventFactory(DjangoModelFactory):
    """A planned in-person event on 10 April 2020, organized in the organizer's territory."""

    class Meta:
        model = "events.Event"

    title_kk = factory.Sequence(lambda n: f"Іс-шара {n}")
    title_ru = factory.Sequence(lambda n: f"Мероприятие {n}")
    program = factory.SubFactory(ProgramFactory)
    organizer = factory.SubFactory(OrganizationFactory)
    territory = factory.SelfAttribute("organizer.territory")
    format = "in_person"
    start = datetime.date(2020, 4, 10)
    end = factory.SelfAttribute("start")
    status = "planned"


class EmergencyFactory(DjangoModelFactory):
    """A quarantine restricting in-person gatherings from 16 March 2020, open-ended; give the
    territories as a list (`territories=[region]`)."""

    class Meta:
        model = "events.Emergency"
        skip_postgeneration_save = True

    kind = "quarantine"
    title_kk = factory.Sequence(lambda n: f"Карантин {n}")
    title_ru = factory.Sequence(lambda n: f"Карантин {n}")
    start = datetime.date(2020, 3, 16)
    end = None
    restricts = "in_person"
    declared_by = factory.SubFactory(UserFactory, role=Role.PROJECT_OFFICE)

    @factory.post_generation
    def territories(
        self, create: bool, extracted: list[Territory] | None, **kwargs: object
    ) -> None:
        if create and extracted:
            self.territories.set(extracted)


class WorkPlanFactory(DjangoModelFactory):
    """A draft work plan of a territory for 2020."""

    class Meta:
        model = "events.WorkPlan"

    title_kk = factory.Sequence(lambda n: f"Жұмыс жоспары {n}")
    title_ru = factory.Sequence(lambda n: f"План работы {n}")
    territory = factory.SubFactory(TerritoryFactory)
    organization = None
    year = 2020
    quarter = None


class PlanItemFactory(DjangoModelFactory):
    class Meta:
        model = "events.PlanItem"

    plan = factory.SubFactory(WorkPlanFactory)
    order = factory.Sequence(lambda n: n + 1)
    title_kk = factory.Sequence(lambda n: f"Іс-шара {n}")
    title_ru = factory.Sequence(lambda n: f"Мероприятие {n}")
    responsible = factory.SubFactory(
        OrganizationFactory, territory=factory.SelfAttribute("..plan.territory")
    )
    start = datetime.date(2020, 3, 1)
    end = datetime.date(2020, 3, 2)


class ReportFormFactory(DjangoModelFactory):
    """A quarterly report form; pass indicators=[…] and territories=[…]."""

    class Meta:
        model = "indicators.ReportForm"
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"form-{n}")
    name_kk = factory.Sequence(lambda n: f"Есеп нысаны {n}")
    name_ru = factory.Sequence(lambda n: f"Форма отчёта {n}")
    period_kind = "quarter"
    due_days = 10
    rules = factory.LazyFunction(list)

    @factory.post_generation
    def indicators(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.indicators.set(extracted)

    @factory.post_generation
    def territories(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.territories.set(extracted)


class ReportFactory(DjangoModelFactory):
    """A draft report for 2020, quarter 1, without values (use reports.report_open for those)."""

    class Meta:
        model = "indicators.Report"

    form = factory.SubFactory(ReportFormFactory)
    territory = factory.SubFactory(TerritoryFactory)
    year = 2020
    period_number = 1


class IndicatorFactory(DjangoModelFactory):
    """A computed indicator (events held, by default); pass computation=… or source="reported"."""

    class Meta:
        model = "indicators.Indicator"

    code = factory.Sequence(lambda n: f"indicator-{n}")
    name_kk = factory.Sequence(lambda n: f"Көрсеткіш {n}")
    name_ru = factory.Sequence(lambda n: f"Показатель {n}")
    source = "computed"
    computation = factory.LazyAttribute(lambda i: "events_held" if i.source == "computed" else "")
    higher_is_better = True


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = "indicators.Target"

    indicator = factory.SubFactory(IndicatorFactory)
    territory = factory.SubFactory(TerritoryFactory)
    year = 2020
    value = 100


class IndicatorValueFactory(DjangoModelFactory):
    """A yearly value for 2020, computed by default."""

    class Meta:
        model = "indicators.IndicatorValue"

    indicator = factory.SubFactory(IndicatorFactory)
    territory = factory.SubFactory(TerritoryFactory)
    year = 2020
    period_kind = "year"
    period_number = 1
    value = 10
    status = "computed"


class MethodologyFactory(DjangoModelFactory):
    """A ranking methodology for 2019: per cent of the target, bottom quartile; give the
    weights as {code: weight}."""

    class Meta:
        model = "indicators.Methodology"

    name_kk = factory.Sequence(lambda n: f"Әдістеме {n}")
    name_ru = factory.Sequence(lambda n: f"Методика {n}")
    version = 1
    year = 2019
    normalization = "percent_of_target"
    weights = factory.LazyFunction(dict)
    low_rule = "bottom_quartile"
    threshold = None
    created_by = factory.SubFactory(UserFactory, role=Role.PROJECT_OFFICE)


class IdeaFactory(DjangoModelFactory):
    """An idea being evaluated, proposed by a fresh observer for a fresh territory."""

    class Meta:
        model = "ideas.Idea"

    title = factory.Sequence(lambda n: f"Идея {n}")
    description = "Кітапханада кешкі оқу клубын ашу."
    territory = factory.SubFactory(TerritoryFactory)
    proposer = factory.SubFactory(UserFactory)
    status = "evaluating"


class DocumentFactory(DjangoModelFactory):
    """A methodological guideline of the library, created by a project office user."""

    class Meta:
        model = "documents.Document"

    title_kk = factory.Sequence(lambda n: f"Әдістемелік құжат {n}")
    title_ru = factory.Sequence(lambda n: f"Методический документ {n}")
    kind = "guideline"
    created_by = factory.SubFactory(UserFactory, role=Role.PROJECT_OFFICE)


class PublicationFactory(DjangoModelFactory):
    """An article in a media outlet, about the outlet's territory (give `territories` to link
    others)."""

    class Meta:
        model = "media.Publication"
        skip_postgeneration_save = True

    outlet = factory.SubFactory(OrganizationFactory, kind=OrganizationKind.MEDIA)
    title = factory.Sequence(lambda n: f"Мақала {n}")
    date = datetime.date(2020, 4, 21)
    language = "kk"
    kind = "article"
    reach = 100

    @factory.post_generation
    def territories(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.territories.set(extracted or [self.outlet.territory])  # type: ignore[attr-defined]


# Added for the permission table


class MeetingSeriesFactory(DjangoModelFactory):
    """A series of monthly meetings."""

    class Meta:
        model = "meetings.MeetingSeries"

    title_kk = factory.Sequence(lambda n: f"Ай сайынғы кеңес {n}")
    title_ru = factory.Sequence(lambda n: f"Ежемесячное совещание {n}")
    recurrence = "monthly"


class InvitationGroupFactory(DjangoModelFactory):
    """The holders of a position (give `position`) in organizations of any kind, anywhere."""

    class Meta:
        model = "meetings.InvitationGroup"

    name_kk = factory.Sequence(lambda n: f"Шақырылатындар тобы {n}")
    name_ru = factory.Sequence(lambda n: f"Группа приглашённых {n}")
    position = factory.SubFactory(PositionFactory)
