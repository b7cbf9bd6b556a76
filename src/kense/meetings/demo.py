"""The meetings of the demo: the story of DOMAIN.md, told through Kense.

February 2020: a meeting with the akim gives assignments to the project office, the regional
departments and the districts. 21 April 2020: the online (Zoom) meeting chaired by the deputy
akim reviews them — some done, some overdue, some put off by the state of emergency — and
closes with decisions per responsible body. Later meetings give the lists and charts some life.

Texts are our own summaries in Kazakh and Russian; nothing is copied from the news report.
The dates of letters, reports and decisions are set to the story's dates after each service
has run, since the services stamp "now".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from kense.accounts.models import User
from kense.assignments.models import (
    Assignment,
    DeadlineKind,
    ExecutionReport,
    Extension,
    Priority,
    Review,
)
from kense.assignments.services import assignment_save, report_review, report_submit, review_record
from kense.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    InvitationGroup,
    Meeting,
    MeetingFormat,
    MeetingKind,
    MeetingState,
    Participant,
    ParticipantRole,
)
from kense.meetings.services import (
    agenda_item_save,
    decision_save,
    meeting_save,
    meeting_transition,
    participants_invite,
    review_item_propose,
)
from kense.registry.models import OrganizationKind, Position, TerritoryKind

ALMATY = ZoneInfo("Asia/Almaty")
BACKFILLED = "2020 ж. хаттамасынан енгізілді / внесено из протокола 2020 г."


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ALMATY)


@dataclass(frozen=True)
class Text:
    kk: str
    ru: str

    def fields(self, name: str) -> dict[str, str]:
        return {f"{name}_kk": self.kk, f"{name}_ru": self.ru}


GROUPS = [
    (
        "deputy_akims",
        Text(
            "Қалалар мен аудандар әкімдерінің орынбасарлары", "Заместители акимов городов и районов"
        ),
        "deputy_akim",
        [OrganizationKind.AKIMAT],
        [TerritoryKind.CITY, TerritoryKind.DISTRICT],
    ),
    (
        "department_heads",
        Text("Облыстық басқармалардың басшылары", "Руководители областных управлений"),
        "head",
        [OrganizationKind.DEPARTMENT],
        [],
    ),
    (
        "vice_rectors",
        Text("Университеттердің проректорлары", "Проректоры университетов"),
        "vice_rector",
        [OrganizationKind.UNIVERSITY],
        [],
    ),
]


class MeetingsDemo:
    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.admin = loader.admin
        self.office = User.objects.get(username="office")
        self.org = loader.organizations
        self.people = loader.people
        self.region = loader.territories["region"]

    def load(self) -> None:
        if Meeting.objects.filter(title_kk__startswith="Облыс әкімімен").exists():
            return  # loaded before
        groups = self.load_groups()
        _february, given = self.february_meeting()
        self.spring_meeting(groups, given)
        self.later_meetings(groups)

    def load_groups(self) -> dict[str, InvitationGroup]:
        groups = {}
        for key, name, position, org_kinds, territory_kinds in GROUPS:
            group = InvitationGroup.objects.filter(name_kk=name.kk).first()
            if group is None:
                group = InvitationGroup(
                    **name.fields("name"),
                    position=Position.objects.get(code=position),
                    organization_kinds=list(org_kinds),
                    territory=self.region,
                    territory_kinds=list(territory_kinds),
                )
                group.full_clean()
                group.save()
                self.loader.count(InvitationGroup)
            groups[key] = group
        return groups

    # Helpers -----------------------------------------------------------------------------

    def meeting(
        self, *, title: Text, day: datetime.date, hours: tuple[int, int], **extra: Any
    ) -> Meeting:
        meeting = Meeting(
            **title.fields("title"),
            start=at(day, hours[0]),
            end=at(day, hours[1]),
            organizer=self.org["project_office"],
            territory=self.region,
            chair=self.people["nukenov"],
            secretary=self.people["kaliyeva"],
            **extra,
        )
        meeting_save(meeting, user=self.office, programs=[self.loader.programs["rukhani-zhangyru"]])
        self.loader.count(Meeting)
        return meeting

    def item(
        self, meeting: Meeting, title: Text, speakers: list[str], heard: Text, minutes: int = 10
    ) -> AgendaItem:
        item = AgendaItem(
            meeting=meeting,
            **title.fields("title"),
            **heard.fields("heard"),
            duration_minutes=minutes,
        )
        return agenda_item_save(
            item, user=self.office, speakers=[self.people[key] for key in speakers]
        )

    def decide(
        self,
        item: AgendaItem,
        text: Text,
        *,
        lead: str,
        deadline: datetime.date | None = None,
        co: tuple[str, ...] = (),
        after_lifting: int | None = None,
        recurring_day: int | None = None,
        until: datetime.date | None = None,
        priority: str = Priority.NORMAL,
    ) -> Assignment:
        decision = decision_save(Decision(item=item, **text.fields("text")), user=self.office)
        if after_lifting:
            kind = DeadlineKind.AFTER_LIFTING
        elif recurring_day:
            kind = DeadlineKind.RECURRING
        else:
            kind = DeadlineKind.DATE
        assignment = Assignment(
            **text.fields("text"),
            meeting=item.meeting,
            decision=decision,
            lead_organization=self.org[lead],
            deadline_kind=kind,
            deadline=deadline,
            days_after_lifting=after_lifting,
            recurrence="monthly" if recurring_day else "",
            recurrence_day=recurring_day,
            recurrence_until=until,
            deadline_reason=BACKFILLED,
            priority=priority,
            controller=self.office,
        )
        assignment_save(assignment, user=self.office, co_executors=[self.org[key] for key in co])
        Assignment.objects.filter(pk=assignment.pk).update(created_at=item.meeting.end)
        self.loader.count(Assignment)
        return assignment

    def done(
        self, assignment: Assignment, report: Text, on: datetime.date, *, accept: bool = True
    ) -> None:
        executor = (
            User.objects.filter(organization=assignment.lead_organization).first() or self.office
        )
        submitted = report_submit(assignment, user=executor, text=f"{report.kk}\n\n{report.ru}")
        ExecutionReport.objects.filter(pk=submitted.pk).update(created_at=at(on, 11))
        if accept:
            report_review(submitted, user=self.office, accept=True)
            ExecutionReport.objects.filter(pk=submitted.pk).update(reviewed_at=at(on, 17))
            Assignment.objects.filter(pk=assignment.pk).update(done_at=at(on, 17))

    def finish(self, meeting: Meeting, *, approve: bool = True) -> None:
        for state in (MeetingState.SCHEDULED, MeetingState.IN_PROGRESS, MeetingState.HELD):
            meeting_transition(meeting, user=self.office, to=state)
        Meeting.objects.filter(pk=meeting.pk).update(
            invitations_sent_at=meeting.start - datetime.timedelta(days=3)
        )
        Participant.objects.filter(meeting=meeting).update(
            invited_at=meeting.start - datetime.timedelta(days=3), attendance=Attendance.PRESENT
        )
        if approve:
            meeting_transition(meeting, user=self.office, to=MeetingState.APPROVED)
            Meeting.objects.filter(pk=meeting.pk).update(
                approved_at=meeting.end + datetime.timedelta(days=2)
            )

    # The story ----------------------------------------------------------------------------

    def february_meeting(self) -> tuple[Meeting, dict[str, Assignment]]:
        day = datetime.date(2020, 2, 14)
        meeting = self.meeting(
            title=Text(
                "Облыс әкімімен «Рухани жаңғыру» бағдарламасын іске асыру жөніндегі кеңес",
                "Совещание у акима области по реализации программы «Рухани жаңғыру»",
            ),
            day=day,
            hours=(10, 12),
            kind=MeetingKind.REGULAR,
            format=MeetingFormat.IN_PERSON,
            venue="Қарағанды қ., облыс әкімдігі, мәжіліс залы",
        )
        participants_invite(
            meeting,
            user=self.office,
            people=[
                self.people[key]
                for key in ("altynbekov", "kussain", "zhumagulov", "zhumekenov", "abisheva")
            ],
        )
        plan = self.item(
            meeting,
            Text(
                "2020 жылға арналған арнайы жобалар жоспары туралы",
                "О плане специальных проектов на 2020 год",
            ),
            ["zhumagulov"],
            Text(
                "Жобалық кеңсе басшысы 2020 жылы жалғасатын және жаңадан басталатын жобалар туралы баяндады.",
                "Руководитель проектного офиса доложил о проектах, продолжающихся и начинающихся в 2020 году.",
            ),
        )
        given = {
            "plan": self.decide(
                plan,
                Text(
                    "Арнайы жобалардың 2020 жылға арналған жұмыс жоспарын әзірлеп, бекітуге енгізу.",
                    "Разработать и внести на утверждение план работы специальных проектов на 2020 год.",
                ),
                lead="project_office",
                deadline=datetime.date(2020, 3, 2),
            ),
            "analysis": self.decide(
                plan,
                Text(
                    "2019 жылғы бағдарлама нәтижелерін аудандар мен қалалар бөлінісінде талдау.",
                    "Проанализировать итоги программы за 2019 год в разрезе районов и городов.",
                ),
                lead="internal_policy",
                deadline=datetime.date(2020, 3, 16),
            ),
            "names": self.decide(
                plan,
                Text(
                    "«Ұлы даланың ұлы есімдері» жобасы бойынша облыстың көрнекті тұлғаларының тізімін жасау.",
                    "Составить перечень выдающихся личностей области по проекту «Ұлы даланың ұлы есімдері».",
                ),
                lead="culture",
                co=("tulgatanu",),
                deadline=datetime.date(2020, 4, 10),
            ),
            "media": self.decide(
                plan,
                Text(
                    "Бағдарламаны бұқаралық ақпарат құралдарында насихаттаудың медиажоспарын ұсыну.",
                    "Представить медиаплан освещения программы в средствах массовой информации.",
                ),
                lead="saryarqa",
                deadline=datetime.date(2020, 3, 20),
            ),
            "tugan_zher": self.decide(
                plan,
                Text(
                    "Аудандар мен қалаларда «Туған жер» жобасы бойынша көктемгі іс-шараларды өткізу.",
                    "Провести весенние мероприятия проекта «Туған жер» в районах и городах.",
                ),
                lead="saran:akimat",
                after_lifting=30,
            ),
        }
        self.finish(meeting)
        self.done(
            given["plan"],
            Text("Жоспар әзірленіп, бекітілді.", "План разработан и утверждён."),
            datetime.date(2020, 2, 28),
        )
        self.done(
            given["analysis"],
            Text("Талдау дайындалды.", "Анализ подготовлен."),
            datetime.date(2020, 3, 20),
        )
        self.done(
            given["media"],
            Text("Медиажоспар жіберілді.", "Медиаплан направлен."),
            datetime.date(2020, 3, 19),
            accept=False,
        )
        return meeting, given

    def spring_meeting(
        self, groups: dict[str, InvitationGroup], given: dict[str, Assignment]
    ) -> Meeting:
        day = datetime.date(2020, 4, 21)
        meeting = self.meeting(
            title=Text(
                "«Рухани жаңғыру» бағдарламасын іске асыру мәселелері жөніндегі онлайн-кеңес",
                "Онлайн-совещание по вопросам реализации программы «Рухани жаңғыру»",
            ),
            day=day,
            hours=(10, 12),
            kind=MeetingKind.REGULAR,
            format=MeetingFormat.ONLINE,
            video_url="https://zoom.us/j/4562020421",
            video_meeting_id="456 202 0421",
            video_passcode="ruh2020",
        )
        participants_invite(
            meeting,
            user=self.office,
            people=[
                self.people[key]
                for key in ("altynbekov", "zhumagulov", "beisembekova", "akhmetov", "abisheva")
            ],
            groups=[groups["deputy_akims"], groups["department_heads"], groups["vice_rectors"]],
        )
        review = review_item_propose(meeting, user=self.office)
        results = self.item(
            meeting,
            Text("2019 жылғы нәтижелерді талдау туралы", "Об анализе итогов 2019 года"),
            ["kussain"],
            Text(
                "Ішкі саясат басқармасының басшысы 2019 жылғы нәтижелерді аудандар бойынша талдап, көрсеткіштері төмен аудандарды атады.",
                "Руководитель управления внутренней политики проанализировал итоги 2019 года по районам и назвал районы с низкими показателями.",
            ),
        )
        office = self.item(
            meeting,
            Text(
                "Жобалық кеңсенің құрылымы мен жобалары туралы",
                "О структуре и проектах проектного офиса",
            ),
            ["zhumagulov"],
            Text(
                "Жобалық кеңсе басшысы кеңсенің штаттық құрылымы, қаңтардан бері жүріп жатқан және алдағы жобалар туралы айтты; карантин кезінде тоқтаған іс-шаралар шектеулер алынғаннан кейін жалғасады.",
                "Руководитель проектного офиса рассказал о штатной структуре офиса, о проектах, идущих с января, и о предстоящих; мероприятия, остановленные на время карантина, продолжатся после снятия ограничений.",
            ),
        )
        guideline = self.item(
            meeting,
            Text(
                "«Тұлғатану» орталығының әдістемелік нұсқаулығы туралы",
                "О методических рекомендациях центра «Тұлғатану»",
            ),
            ["beisembekova"],
            Text(
                "Орталық директоры тұлғаларды зерттеу мен насихаттау бойынша әдістемелік нұсқаулықты таныстырды.",
                "Директор центра представила методические рекомендации по изучению и популяризации личностей.",
            ),
        )
        projects = self.item(
            meeting,
            Text(
                "Арнайы жобалар мен «Ауыл – ел бесігі» бағдарламасының барысы туралы",
                "О ходе спецпроектов и программы «Ауыл – ел бесігі»",
            ),
            ["zhumekenov", "abisheva"],
            Text(
                "Мәдениет басқармасының басшысы арнайы жобалар бойынша, экономика басқармасы басшысының орынбасары «Ауыл – ел бесігі» бағдарламасы бойынша баяндады.",
                "Руководитель управления культуры доложил о спецпроектах, заместитель руководителя управления экономики — о программе «Ауыл – ел бесігі».",
            ),
            minutes=20,
        )
        plan = self.item(
            meeting,
            Text(
                "Келесі кезеңге арналған жұмыс жоспарының жобасы туралы",
                "О проекте плана работы на следующий период",
            ),
            ["nukenov"],
            Text(
                "Облыс әкімінің орынбасары жоспар жобасын қарап, әр жауапты органның міндеттерін нақтылады.",
                "Заместитель акима области рассмотрел проект плана и уточнил задачи каждого ответственного органа.",
            ),
        )
        self.decide(
            results,
            Text(
                "Көрсеткіштері төмен аудандар мен қалалар бағдарлама бойынша жұмысты күшейтіп, шаралар жоспарын ұсынсын.",
                "Районам и городам с низкими показателями усилить работу по программе и представить план мер.",
            ),
            lead="internal_policy",
            co=("abai:akimat", "shet:akimat", "nura:akimat"),
            deadline=datetime.date(2020, 5, 15),
            priority=Priority.HIGH,
        )
        self.decide(
            office,
            Text(
                "Жобалық кеңсенің бос штат бірліктерін толықтыру.",
                "Укомплектовать вакантные штатные единицы проектного офиса.",
            ),
            lead="project_office",
            deadline=datetime.date(2020, 6, 1),
        )
        self.decide(
            guideline,
            Text(
                "Әдістемелік нұсқаулықты барлық аудандарға, қалаларға және білім, мәдениет мекемелеріне жолдау.",
                "Направить методические рекомендации во все районы, города, учреждения образования и культуры.",
            ),
            lead="tulgatanu",
            co=("education", "culture"),
            deadline=datetime.date(2020, 5, 1),
        )
        self.decide(
            projects,
            Text(
                "Арнайы жобалардың орындалуы туралы ай сайын ақпарат беру.",
                "Ежемесячно представлять информацию о ходе специальных проектов.",
            ),
            lead="culture",
            recurring_day=5,
            deadline=datetime.date(2020, 5, 5),
            until=datetime.date(2020, 12, 31),
        )
        self.decide(
            plan,
            Text(
                "Жұмыс жоспарын ескертулерді ескере отырып пысықтап, бекітуге енгізу.",
                "Доработать план работы с учётом замечаний и внести на утверждение.",
            ),
            lead="project_office",
            co=("internal_policy",),
            deadline=datetime.date(2020, 5, 5),
        )
        # The review of the February assignments, recorded in this meeting and on each one.
        review_record(
            meeting=meeting,
            assignment=given["names"],
            user=self.office,
            choice="extend",
            new_deadline=datetime.date(2020, 5, 20),
            note="Карантинге байланысты мерзім ұзартылды / срок продлён в связи с карантином",
        )
        review_record(
            meeting=meeting,
            assignment=given["media"],
            user=self.office,
            choice="accept",
            note="Медиажоспар қабылданды / медиаплан принят",
        )
        review_record(
            meeting=meeting,
            assignment=given["tugan_zher"],
            user=self.office,
            choice="keep",
            note="Төтенше жағдай алынғаннан кейін / после снятия ЧП",
        )
        # Dated at the meeting, where they were decided (the services stamp the demo's own day).
        decided = meeting.end
        Review.objects.filter(meeting=meeting).update(decided_at=decided)
        Extension.objects.filter(assignment=given["names"]).update(
            requested_at=decided, decided_at=decided
        )
        Assignment.objects.filter(pk=given["media"].pk).update(done_at=decided)
        self.finish(meeting)
        absent = Participant.objects.filter(meeting=meeting, group=groups["vice_rectors"])
        Participant.objects.filter(pk__in=list(absent.values_list("pk", flat=True))[:1]).update(
            attendance=Attendance.EXCUSED
        )
        Participant.objects.filter(meeting=meeting).update(online=True)
        Participant.objects.filter(meeting=meeting, person=self.people["nukenov"]).update(
            role=ParticipantRole.CHAIR
        )
        review.closed = True
        review.save(update_fields=["closed"])
        return meeting

    def later_meetings(self, groups: dict[str, InvitationGroup]) -> None:
        june = self.meeting(
            title=Text(
                "«Туған жер» жобасы жұмыс тобының отырысы",
                "Заседание рабочей группы проекта «Туған жер»",
            ),
            day=datetime.date(2020, 6, 18),
            hours=(15, 16),
            kind=MeetingKind.WORKING_GROUP,
            format=MeetingFormat.HYBRID,
            venue="Жобалық кеңсе, 3-кабинет",
            video_url="https://zoom.us/j/4562020618",
        )
        participants_invite(
            june,
            user=self.office,
            people=[self.people[k] for k in ("zhumagulov", "kussain", "zhumekenov")],
        )
        item = self.item(
            june,
            Text("Карантиннен кейінгі іс-шаралар кестесі", "График мероприятий после карантина"),
            ["zhumagulov"],
            Text(
                "Шектеулер алынғаннан кейінгі іс-шаралар кестесі талқыланды.",
                "Обсуждён график мероприятий после снятия ограничений.",
            ),
        )
        self.decide(
            item,
            Text(
                "Іс-шаралардың жаңа кестесін аудандармен келісу.",
                "Согласовать с районами новый график мероприятий.",
            ),
            lead="project_office",
            deadline=datetime.date(2020, 7, 1),
        )
        self.finish(june)
        december = self.meeting(
            title=Text(
                "2020 жылдың қорытындысы және 2021 жылғы жұмыс жоспары",
                "Итоги 2020 года и план работы на 2021 год",
            ),
            day=datetime.date(2020, 12, 22),
            hours=(10, 13),
            kind=MeetingKind.YEAR_END,
            format=MeetingFormat.ONLINE,
            video_url="https://zoom.us/j/4562020122",
        )
        participants_invite(
            december,
            user=self.office,
            people=[self.people["zhumagulov"]],
            groups=[groups["deputy_akims"]],
        )
        self.item(
            december,
            Text("2020 жылдың қорытындысы", "Итоги 2020 года"),
            ["zhumagulov"],
            Text("", ""),
        )


def load_meetings(loader: Any) -> None:
    """Load the meetings of the story once (skip when they are there)."""
    MeetingsDemo(loader).load()
