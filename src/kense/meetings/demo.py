"""The meetings of the demo: the story of DOMAIN.md, told through Kense, and the current year.

February 2020: a meeting with the akim gives assignments to the project office, the regional
departments and the districts. 21 April 2020: the online (Zoom) meeting chaired by the deputy
akim reviews them — some done, some overdue, some put off by the state of emergency — and
closes with decisions per responsible body. The June working group and the December year-end
meeting close what is left: by December 2020 every assignment of the story is accepted or
withdrawn from control, so none of them is overdue today.

The current year (`load_current_meetings`) is relative to the day the demo is loaded: a
meeting held ten days ago whose assignments are now due this week, overdue, reported, returned
or waiting for an extension; a working group next week with its invitations sent; the regular
meeting next month still being prepared.

Texts are our own summaries in Kazakh and Russian; nothing is copied from the news report.
Every write is dated at its moment of the story by the loader's clock
(kense.registry.demo.StoryClock): the history, the letters' and decisions' times.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from kense.accounts.models import User
from kense.assignments.models import (
    Assignment,
    DeadlineKind,
    Priority,
)
from kense.assignments.services import (
    assignment_save,
    assignment_withdraw,
    extension_request,
    report_review,
    report_submit,
    review_record,
)
from kense.core.services import save_in_scope
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
        self.clock = loader.clock
        self.admin = loader.admin
        self.office = User.objects.get(username="office")
        self.org = loader.organizations
        self.people = loader.people
        self.region = loader.territories["region"]

    def load(self) -> None:
        if Meeting.objects.filter(title_kk__startswith="Облыс әкімімен").exists():
            return  # loaded before
        with self.clock.at(at(datetime.date(2020, 1, 20), 10)):
            groups = self.load_groups()
        _february, given = self.february_meeting()
        _april, decided = self.spring_meeting(groups, given)
        self.later_meetings(groups, given, decided)

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
        self,
        *,
        title: Text,
        day: datetime.date,
        hours: tuple[int, int],
        projects: tuple[str, ...] = (),
        **extra: Any,
    ) -> Meeting:
        """A meeting, entered by the office a week before its day (the clock's moment is the
        caller's)."""
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
        meeting_save(
            meeting,
            user=self.office,
            programs=[self.loader.programs["rukhani-zhangyru"]],
            projects=[self.loader.projects[key] for key in projects],
        )
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
        reason: str = BACKFILLED,
    ) -> Assignment:
        """A decision of the item and its assignment, given at the meeting's end."""
        with self.clock.at(item.meeting.end):
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
                deadline_reason=reason,
                priority=priority,
                controller=self.office,
            )
            co_executors = [self.org[key] for key in co]
            if reason or deadline is None or deadline >= timezone.localdate():
                assignment_save(assignment, user=self.office, co_executors=co_executors)
            else:
                # Given at a meeting days ago, due before today: as it was entered then (the
                # service asks a reason only of a deadline already past when it is entered).
                assignment.created_by = self.office
                assignment.territory = assignment.lead_organization.territory
                save_in_scope(assignment, user=self.office, m2m={"co_executors": co_executors})
        self.loader.count(Assignment)
        return assignment

    def executor(self, assignment: Assignment) -> User:
        """Who reports for the lead organization: its own account, or the deputy akim who
        coordinates its city or district, or the project office."""
        organization = assignment.lead_organization
        return (
            User.objects.filter(organization=organization).first()
            or User.objects.filter(
                role="coordinator", person__appointments__organization=organization
            ).first()
            or self.office
        )

    def report(self, assignment: Assignment, text: Text, when: datetime.datetime) -> Any:
        with self.clock.at(when):
            return report_submit(
                assignment, user=self.executor(assignment), text=f"{text.kk}\n\n{text.ru}"
            )

    def done(
        self, assignment: Assignment, report: Text, on: datetime.date, *, accept: bool = True
    ) -> None:
        submitted = self.report(assignment, report, at(on, 11))
        if accept:
            with self.clock.at(at(on, 17)):
                report_review(submitted, user=self.office, accept=True)

    def schedule(self, meeting: Meeting, *, days_before: int = 3) -> None:
        """The invitations go out `days_before` the meeting."""
        sent = meeting.start - datetime.timedelta(days=days_before)
        with self.clock.at(sent):
            meeting_transition(meeting, user=self.office, to=MeetingState.SCHEDULED)
            self.clock.restamp(Participant.objects.filter(meeting=meeting), "invited_at")

    def begin(self, meeting: Meeting) -> None:
        """The invitations sent (when they were not) and the meeting opened at its start."""
        meeting.refresh_from_db(fields=["state"])
        if meeting.state == MeetingState.DRAFT:
            self.schedule(meeting)
            meeting.refresh_from_db(fields=["state"])
        if meeting.state == MeetingState.SCHEDULED:
            with self.clock.at(meeting.start):
                meeting_transition(meeting, user=self.office, to=MeetingState.IN_PROGRESS)

    def finish(self, meeting: Meeting, *, approve: bool = True) -> None:
        """Held on its day, attendance marked (everyone present unless the caller says
        otherwise later), the minutes approved two days later."""
        self.begin(meeting)
        with self.clock.at(meeting.end):
            Participant.objects.filter(meeting=meeting, attendance=Attendance.EXPECTED).update(
                attendance=Attendance.PRESENT
            )
            meeting_transition(meeting, user=self.office, to=MeetingState.HELD)
        if approve:
            with self.clock.at(meeting.end + datetime.timedelta(days=2)):
                meeting_transition(meeting, user=self.office, to=MeetingState.APPROVED)

    # The story ----------------------------------------------------------------------------

    def february_meeting(self) -> tuple[Meeting, dict[str, Assignment]]:
        day = datetime.date(2020, 2, 14)
        with self.clock.at(at(day - datetime.timedelta(days=4), 10)):
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
        self.begin(meeting)
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
    ) -> tuple[Meeting, dict[str, Assignment]]:
        day = datetime.date(2020, 4, 21)
        with self.clock.at(at(day - datetime.timedelta(days=7), 10)):
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
        self.begin(meeting)
        decided = {
            "results": self.decide(
                results,
                Text(
                    "Көрсеткіштері төмен аудандар мен қалалар бағдарлама бойынша жұмысты күшейтіп, шаралар жоспарын ұсынсын.",
                    "Районам и городам с низкими показателями усилить работу по программе и представить план мер.",
                ),
                lead="internal_policy",
                co=("abai:akimat", "shet:akimat", "nura:akimat"),
                deadline=datetime.date(2020, 5, 15),
                priority=Priority.HIGH,
            ),
            "staff": self.decide(
                office,
                Text(
                    "Жобалық кеңсенің бос штат бірліктерін толықтыру.",
                    "Укомплектовать вакантные штатные единицы проектного офиса.",
                ),
                lead="project_office",
                deadline=datetime.date(2020, 6, 1),
            ),
            "guideline": self.decide(
                guideline,
                Text(
                    "Әдістемелік нұсқаулықты барлық аудандарға, қалаларға және білім, мәдениет мекемелеріне жолдау.",
                    "Направить методические рекомендации во все районы, города, учреждения образования и культуры.",
                ),
                lead="tulgatanu",
                co=("education", "culture"),
                deadline=datetime.date(2020, 5, 1),
            ),
            "monthly": self.decide(
                projects,
                Text(
                    "Арнайы жобалардың орындалуы туралы ай сайын ақпарат беру.",
                    "Ежемесячно представлять информацию о ходе специальных проектов.",
                ),
                lead="culture",
                recurring_day=5,
                deadline=datetime.date(2020, 5, 5),
                until=datetime.date(2020, 12, 31),
            ),
            "plan": self.decide(
                plan,
                Text(
                    "Жұмыс жоспарын ескертулерді ескере отырып пысықтап, бекітуге енгізу.",
                    "Доработать план работы с учётом замечаний и внести на утверждение.",
                ),
                lead="project_office",
                co=("internal_policy",),
                deadline=datetime.date(2020, 5, 5),
            ),
        }
        # The review of the February assignments, recorded in this meeting and on each one,
        # at the meeting (the clock dates the reviews, the extension and the acceptance).
        with self.clock.at(meeting.end):
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
            review.closed = True
            review.save(update_fields=["closed"])
            excused = Participant.objects.filter(meeting=meeting, group=groups["vice_rectors"])
            Participant.objects.filter(
                pk__in=list(excused.values_list("pk", flat=True))[:1]
            ).update(attendance=Attendance.EXCUSED)
            Participant.objects.filter(meeting=meeting).update(online=True)
            Participant.objects.filter(meeting=meeting, person=self.people["nukenov"]).update(
                role=ParticipantRole.CHAIR
            )
        self.finish(meeting)
        return meeting, decided

    def later_meetings(
        self,
        groups: dict[str, InvitationGroup],
        given: dict[str, Assignment],
        decided: dict[str, Assignment],
    ) -> None:
        """May to December 2020: the reports come in and are accepted; the June working group
        withdraws the spring «Туған жер» events (replaced by its new schedule); the December
        year-end meeting closes the monthly information. Nothing of 2020 stays open."""
        self.done(
            given["names"],
            Text(
                "Облыстың 120 көрнекті тұлғасының тізімі «Тұлғатану» орталығымен бірге жасалды.",
                "Перечень из 120 выдающихся личностей области составлен вместе с центром «Тұлғатану».",
            ),
            datetime.date(2020, 5, 18),
        )
        self.done(
            decided["guideline"],
            Text(
                "Нұсқаулық барлық аудандарға, қалаларға және мекемелерге жолданды.",
                "Рекомендации направлены во все районы, города и учреждения.",
            ),
            datetime.date(2020, 4, 28),
        )
        self.done(
            decided["plan"],
            Text(
                "Жұмыс жоспары ескертулер бойынша пысықталып, бекітуге енгізілді.",
                "План работы доработан по замечаниям и внесён на утверждение.",
            ),
            datetime.date(2020, 5, 5),
        )
        self.done(
            decided["results"],
            Text(
                "Абай, Шет және Нұра аудандары шаралар жоспарын ұсынды.",
                "Абайский, Шетский и Нуринский районы представили планы мер.",
            ),
            datetime.date(2020, 5, 14),
        )
        june = self.meeting_in_june(groups, given)
        self.done(
            decided["staff"],
            Text(
                "Төрт штат бірлігі толықтырылды, қалғандарына конкурс жарияланды.",
                "Укомплектованы четыре штатные единицы, на остальные объявлен конкурс.",
            ),
            datetime.date(2020, 5, 29),
        )
        self.done(
            june,
            Text(
                "Іс-шаралардың жаңа кестесі барлық аудандармен және қалалармен келісілді.",
                "Новый график мероприятий согласован со всеми районами и городами.",
            ),
            datetime.date(2020, 6, 30),
        )
        self.year_end(groups, decided["monthly"])

    def meeting_in_june(
        self, groups: dict[str, InvitationGroup], given: dict[str, Assignment]
    ) -> Assignment:
        day = datetime.date(2020, 6, 18)
        with self.clock.at(at(day - datetime.timedelta(days=5), 10)):
            june = self.meeting(
                title=Text(
                    "«Туған жер» жобасы жұмыс тобының отырысы",
                    "Заседание рабочей группы проекта «Туған жер»",
                ),
                day=day,
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
                Text(
                    "Карантиннен кейінгі іс-шаралар кестесі", "График мероприятий после карантина"
                ),
                ["zhumagulov"],
                Text(
                    "Шектеулер алынғаннан кейінгі іс-шаралар кестесі талқыланды.",
                    "Обсуждён график мероприятий после снятия ограничений.",
                ),
            )
        self.begin(june)
        schedule = self.decide(
            item,
            Text(
                "Іс-шаралардың жаңа кестесін аудандармен келісу.",
                "Согласовать с районами новый график мероприятий.",
            ),
            lead="project_office",
            deadline=datetime.date(2020, 7, 1),
        )
        with self.clock.at(june.end):
            assignment_withdraw(
                given["tugan_zher"],
                user=self.office,
                reason=(
                    "Көктемгі іс-шаралар жазғы жаңа кестеге енгізілді / "
                    "весенние мероприятия включены в новый летний график"
                ),
            )
        self.finish(june)
        return schedule

    def year_end(self, groups: dict[str, InvitationGroup], monthly: Assignment) -> None:
        day = datetime.date(2020, 12, 22)
        with self.clock.at(at(day - datetime.timedelta(days=7), 10)):
            december = self.meeting(
                title=Text(
                    "2020 жылдың қорытындысы және 2021 жылғы жұмыс жоспары",
                    "Итоги 2020 года и план работы на 2021 год",
                ),
                day=day,
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
            review = review_item_propose(december, user=self.office)
            results = self.item(
                december,
                Text("2020 жылдың қорытындысы", "Итоги 2020 года"),
                ["zhumagulov"],
                Text(
                    "Жобалық кеңсе басшысы жыл қорытындысын баяндады: жоспарланған іс-шаралардың көбі карантиннен кейін өтті.",
                    "Руководитель проектного офиса доложил итоги года: большинство запланированных мероприятий прошло после карантина.",
                ),
            )
        self.begin(december)
        with self.clock.at(december.end):
            decision_save(
                Decision(
                    item=results,
                    **Text(
                        "2020 жылдың қорытындысы назарға алынсын; 2021 жылғы жұмыс жоспары мақұлдансын.",
                        "Итоги 2020 года принять к сведению; одобрить план работы на 2021 год.",
                    ).fields("text"),
                ),
                user=self.office,
            )
            review_record(
                meeting=december,
                assignment=monthly,
                user=self.office,
                choice="accept",
                note="Ақпарат жыл бойы ай сайын берілді / информация представлялась ежемесячно",
            )
            review.closed = True
            review.save(update_fields=["closed"])
        self.finish(december)


def load_meetings(loader: Any) -> None:
    """Load the meetings of the story once (skip when they are there)."""
    MeetingsDemo(loader).load()


# ---------------------------------------------------------------------------------------------
# The current year, around the day the demo is loaded
# ---------------------------------------------------------------------------------------------


def weekday(day: datetime.date, *, back: bool = False) -> datetime.date:
    """The day itself, or the nearest working day after it (before it with `back`)."""
    while day.weekday() >= 5:
        day += datetime.timedelta(days=-1 if back else 1)
    return day


def days(today: datetime.date, offset: int) -> datetime.date:
    return today + datetime.timedelta(days=offset)


class CurrentMeetings(MeetingsDemo):
    """The office's present: a meeting held ten days ago and its assignments in every state,
    a working group next week (invitations sent), next month's meeting being prepared."""

    def __init__(self, loader: Any, today: datetime.date) -> None:
        super().__init__(loader)
        self.today = today
        self.groups = {
            key: InvitationGroup.objects.get(name_kk=name.kk) for key, name, *_rest in GROUPS
        }

    def load(self) -> None:
        if Meeting.objects.filter(start__year__gt=2020).exists():
            return  # loaded before
        self.recent_meeting()
        self.working_group_next_week()
        self.meeting_next_month()

    def user(self, username: str) -> User:
        return User.objects.get(username=username)

    def recent_meeting(self) -> None:
        today = self.today
        day = weekday(days(today, -10), back=True)
        with self.clock.at(at(day - datetime.timedelta(days=6), 10)):
            meeting = self.meeting(
                title=Text(
                    "«Рухани жаңғыру» бағдарламасының арнайы жобаларын іске асыру жөніндегі кеңес",
                    "Совещание по реализации специальных проектов программы «Рухани жаңғыру»",
                ),
                day=day,
                hours=(10, 12),
                kind=MeetingKind.REGULAR,
                format=MeetingFormat.HYBRID,
                venue="Қарағанды қ., облыс әкімдігі, 2-мәжіліс залы",
                projects=("tugan_zher", "new_names", "sacred"),
                video_url="https://zoom.us/j/4560000001",
            )
            participants_invite(
                meeting,
                user=self.office,
                people=[
                    self.people[key]
                    for key in ("zhumagulov", "kussain", "zhumekenov", "beisembekova", "akhmetov")
                ],
                groups=[self.groups["deputy_akims"]],
            )
            tugan_zher = self.item(
                meeting,
                Text(
                    "«Туған жер» жобасының «Атамекен» және «Рухани қазына» бағыттары бойынша жұмыс барысы туралы",
                    "О ходе работы по направлениям «Атамекен» и «Рухани қазына» проекта «Туған жер»",
                ),
                ["zhumekenov"],
                Text(
                    "Мәдениет басқармасының басшысы аудандар мен қалалардағы өлкетану жұмысы, ауылдардың тарихи анықтамалары мен жергілікті мұражайлардың қорлары туралы баяндады.",
                    "Руководитель управления культуры доложил о краеведческой работе в районах и городах, исторических справках сёл и фондах местных музеев.",
                ),
                minutes=20,
            )
            names = self.item(
                meeting,
                Text(
                    "«Қазақстанның 100 жаңа есімі» жобасына облыстан үміткерлер ұсыну туралы",
                    "О выдвижении кандидатов от области в проект «100 новых лиц Казахстана»",
                ),
                ["kussain"],
                Text(
                    "Ішкі саясат басқармасының басшысы үміткерлерді ұсыну тәртібі мен мерзімдерін түсіндірді.",
                    "Руководитель управления внутренней политики разъяснил порядок и сроки выдвижения кандидатов.",
                ),
            )
            sacred = self.item(
                meeting,
                Text(
                    "«Қазақстанның киелі географиясы» жобасы бойынша облыстық нысандар тізілімі туралы",
                    "О региональном перечне объектов проекта «Сакральная география Казахстана»",
                ),
                ["zhumagulov", "beisembekova"],
                Text(
                    "Жобалық кеңсе басшысы тізілімді жаңарту қажеттігін айтты; «Тұлғатану» орталығының директоры нысандардың тарихи анықтамаларын ұсынды.",
                    "Руководитель проектного офиса сообщил о необходимости обновить перечень; директор центра «Тұлғатану» представила исторические справки объектов.",
                ),
            )
        self.begin(meeting)

        def given(
            item: AgendaItem, kk: str, ru: str, lead: str, due: int, **extra: Any
        ) -> Assignment:
            return self.decide(
                item, Text(kk, ru), lead=lead, deadline=days(today, due), reason="", **extra
            )

        abai = given(
            tugan_zher,
            "Абай ауданының ауылдарының тарихи анықтамаларын жинақтап, «Атамекен» бағыты бойынша облыстық мұрағатқа тапсыру.",
            "Собрать исторические справки сёл Абайского района и передать в областной архив по направлению «Атамекен».",
            "abai:akimat",
            -3,
            priority=Priority.HIGH,
        )
        shet = given(
            tugan_zher,
            "Шет ауданында ауыл ақсақалдарының естеліктерін бейнеге жазу жұмысын аяқтау.",
            "Завершить видеозапись воспоминаний старейшин сёл Шетского района.",
            "shet:akimat",
            -1,
        )
        temirtau = given(
            tugan_zher,
            "Теміртау қаласының тарихи-өлкетану мұражайының қорын «Рухани қазына» бағыты бойынша цифрландыру жоспарын ұсыну.",
            "Представить план оцифровки фондов историко-краеведческого музея Темиртау по направлению «Рухани қазына».",
            "temirtau:akimat",
            -2,
        )
        karaganda = given(
            tugan_zher,
            "Қарағанды қаласының мектептерінде өлкетану үйірмелерінің тізімін жаңарту.",
            "Обновить перечень краеведческих кружков в школах города Караганды.",
            "karaganda:akimat",
            4,
        )
        saran = given(
            names,
            "Саран қаласынан «100 жаңа есім» жобасына үміткерлердің ұсынымдарын жинап, облыстық комиссияға жолдау.",
            "Собрать представления кандидатов от города Сарани в проект «100 новых лиц» и направить в областную комиссию.",
            "saran:akimat",
            3,
        )
        school = given(
            names,
            "Мектепте жерлес «100 жаңа есім» лауреаттарымен кездесу өткізіп, қысқаша есеп беру.",
            "Провести в школе встречу с земляками — лауреатами проекта «100 новых лиц» и представить краткий отчёт.",
            "saran:school1",
            2,
        )
        nura = given(
            names,
            "Нұра ауданының жастары арасында жобаны насихаттау бойынша кездесулер өткізу.",
            "Провести встречи с молодёжью Нуринского района по популяризации проекта.",
            "nura:akimat",
            12,
        )
        culture = given(
            sacred,
            "Облыстың киелі нысандарының тізіліміне енгізілетін жаңа нысандардың тарихи анықтамаларын дайындау.",
            "Подготовить исторические справки новых объектов для включения в региональный перечень сакральных мест.",
            "culture",
            5,
            co=("tulgatanu",),
        )
        karkaraly = given(
            sacred,
            "Қарқаралы ауданындағы киелі нысандарға апаратын жол көрсеткіштерін орнату.",
            "Установить указатели к сакральным объектам Каркаралинского района.",
            "karkaraly:akimat",
            4,
        )
        office = given(
            sacred,
            "Облыстық киелі нысандар тізілімін жаңартып, облыс әкімінің орынбасарына ұсыну.",
            "Обновить региональный перечень сакральных объектов и представить заместителю акима области.",
            "project_office",
            6,
            co=("culture", "tulgatanu"),
        )
        self.finish(meeting)
        # What has happened since: reports, a return, an acceptance, an extension request.
        self.report(
            shet,
            Text(
                "Он екі ақсақалдың естеліктері жазылды, бейнелер аудандық кітапханаға берілді.",
                "Записаны воспоминания двенадцати старейшин, видео переданы в районную библиотеку.",
            ),
            at(days(today, -4), 15),
        )
        with self.clock.at(at(days(today, -2), 11)):
            report_review(
                shet.reports.get(),
                user=self.office,
                accept=False,
                comment=(
                    "Жазбалардың тізімін және қатысушылардың келісімін қосыңыз. / "
                    "Приложите перечень записей и согласия участников."
                ),
            )
        self.report(
            temirtau,
            Text(
                "Цифрландыру жоспары дайындалды: бірінші кезеңде 1 200 экспонат.",
                "План оцифровки подготовлен: на первом этапе 1 200 экспонатов.",
            ),
            at(days(today, -1), 12),
        )
        self.report(
            culture,
            Text(
                "Сегіз жаңа нысанның тарихи анықтамалары дайындалып, «Тұлғатану» орталығымен келісілді.",
                "Подготовлены исторические справки восьми новых объектов, согласованы с центром «Тұлғатану».",
            ),
            at(days(today, -1), 16),
        )
        self.report(
            karaganda,
            Text(
                "Қала мектептеріндегі 46 өлкетану үйірмесінің тізімі жаңартылды.",
                "Обновлён перечень 46 краеведческих кружков в школах города.",
            ),
            at(days(today, -4), 10),
        )
        with self.clock.at(at(days(today, -3), 17)):
            report_review(karaganda.reports.get(), user=self.office, accept=True)
        with self.clock.at(at(days(today, -1), 10)):
            extension_request(
                karkaraly,
                user=self.executor(karkaraly),
                new_deadline=days(today, 18),
                reason=(
                    "Көрсеткіштер мердігерден кейін келеді, жол жұмыстары аяқталуда. / "
                    "Указатели поступят от подрядчика позже, дорожные работы завершаются."
                ),
            )
        del abai, saran, school, nura, office  # under control, as given

    def working_group_next_week(self) -> None:
        day = weekday(days(self.today, 6))
        with self.clock.at(at(days(self.today, -2), 15)):
            meeting = self.meeting(
                title=Text(
                    "«Қазақстанның киелі географиясы» жобасы жұмыс тобының отырысы",
                    "Заседание рабочей группы проекта «Сакральная география Казахстана»",
                ),
                day=day,
                hours=(15, 16),
                kind=MeetingKind.WORKING_GROUP,
                format=MeetingFormat.HYBRID,
                venue="Жобалық кеңсе, 3-кабинет",
                video_url="https://zoom.us/j/4560000002",
                projects=("sacred",),
            )
            participants_invite(
                meeting,
                user=self.office,
                people=[
                    self.people[key]
                    for key in (
                        "zhumagulov",
                        "zhumekenov",
                        "beisembekova",
                        "deputy:karkaraly",
                        "deputy:shet",
                        "deputy:saran",
                    )
                ],
            )
            self.item(
                meeting,
                Text(
                    "Облыстық киелі нысандар тізілімінің жобасы",
                    "Проект регионального перечня сакральных объектов",
                ),
                ["zhumagulov"],
                Text("", ""),
            )
            self.item(
                meeting,
                Text(
                    "Жазғы экспедицияларға дайындық",
                    "Подготовка летних экспедиций",
                ),
                ["beisembekova"],
                Text("", ""),
            )
        sent = at(days(self.today, -1), 16)
        with self.clock.at(sent):
            meeting_transition(meeting, user=self.office, to=MeetingState.SCHEDULED)
            self.clock.restamp(Participant.objects.filter(meeting=meeting), "invited_at")

    def meeting_next_month(self) -> None:
        day = weekday(days(self.today, 27))
        with self.clock.at(at(days(self.today, -1), 11)):
            meeting = self.meeting(
                title=Text(
                    "«Рухани жаңғыру» бағдарламасын іске асыру барысы туралы облыстық кеңес",
                    "Областное совещание о ходе реализации программы «Рухани жаңғыру»",
                ),
                day=day,
                hours=(10, 12),
                kind=MeetingKind.REGULAR,
                format=MeetingFormat.ONLINE,
                video_url="https://zoom.us/j/4560000003",
            )
            participants_invite(
                meeting,
                user=self.office,
                people=[self.people[key] for key in ("altynbekov", "zhumagulov", "kussain")],
                groups=[self.groups["deputy_akims"], self.groups["department_heads"]],
            )
            review_item_propose(meeting, user=self.office)
            self.item(
                meeting,
                Text(
                    "«Туған жер» жобасының жарты жылдық қорытындысы",
                    "Итоги полугодия по проекту «Туған жер»",
                ),
                ["zhumekenov"],
                Text("", ""),
                minutes=20,
            )
            self.item(
                meeting,
                Text(
                    "Көрсеткіштері төмен аудандардың жұмысы туралы",
                    "О работе районов с низкими показателями",
                ),
                ["kussain"],
                Text("", ""),
            )


def load_current_meetings(loader: Any, today: datetime.date) -> None:
    """Load the current year's meetings and assignments around `today` (once)."""
    CurrentMeetings(loader, today).load()
