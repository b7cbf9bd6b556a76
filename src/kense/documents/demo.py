"""The documents of the demo: the «Тұлғатану» centre's methodological guideline (DOMAIN.md
¶11–12), in Kazakh and Russian, sent in April 2020 to every city's and district's akimat, the
regional departments, and the schools, colleges, universities and cultural institutions, with a
deadline to acknowledge; the akimats (through their deputy akims), the culture department and a
Saran school have acknowledged it, the rest are overdue — a realistic state for the tracking page. In the current year a second
guideline, sent six days before the day of the load, waits for most of its acknowledgments.

The guideline's text is our own short summary, not the centre's document.
"""

from __future__ import annotations

import datetime
import io
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as Docx

from kense.accounts.models import User
from kense.core.permissions import Role
from kense.documents.models import DistributionMode, Document, DocumentKind, Recipient
from kense.documents.services import acknowledge, distribution_send, document_save, version_add

ALMATY = ZoneInfo("Asia/Almaty")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = {
    "kk": (
        "Тұлғатану: облыстың көрнекті тұлғаларын зерттеу және насихаттау жөніндегі әдістемелік нұсқаулық",
        [
            "Нұсқаулық аудандар мен қалаларда көрнекті тұлғалар туралы деректерді жинау тәртібін сипаттайды.",
            "Мектептер, колледждер, университеттер мен мәдениет мекемелері тұлғалар туралы іс-шараларды жоспарлайды.",
            "Жиналған материалдар «Ұлы даланың ұлы есімдері» жобасының деректер қорына енгізіледі.",
        ],
    ),
    "ru": (
        "Тулгатану: методические рекомендации по изучению и популяризации выдающихся личностей области",
        [
            "Рекомендации описывают порядок сбора сведений о выдающихся личностях в районах и городах.",
            "Школы, колледжи, университеты и учреждения культуры планируют мероприятия о личностях.",
            "Собранные материалы вносятся в базу проекта «Ұлы даланың ұлы есімдері».",
        ],
    ),
}


def _docx(language: str, title: str, paragraphs: list[str]) -> SimpleUploadedFile:
    document = Docx()
    document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    name = "tulgatanu" if title == TEXT[language][0] else "guideline"
    return SimpleUploadedFile(f"{name}-{language}.docx", buffer.getvalue(), content_type=DOCX)


def _guideline(
    loader: Any,
    *,
    title: dict[str, str],
    paragraphs: dict[str, list[str]],
    description: dict[str, str],
    author: str,
    sent: datetime.datetime,
    deadline: datetime.date,
    kinds: list[str],
    message: str,
) -> Any:
    """A guideline entered, its kk and ru versions uploaded and its distribution sent, all at
    `sent` (the clock's moment)."""
    office = User.objects.get(username="office")
    with loader.clock.at(sent):
        guideline = Document(
            title_kk=title["kk"],
            title_ru=title["ru"],
            title_en=title["en"],
            kind=DocumentKind.GUIDELINE,
            description_kk=description["kk"],
            description_ru=description["ru"],
            author_organization=loader.organizations[author],
        )
        document_save(guideline, user=office)
        for language in ("kk", "ru"):
            version_add(
                guideline,
                user=office,
                upload=_docx(language, title[language], paragraphs[language]),
                language=language,
                change_note="",
            )
        distribution = distribution_send(
            guideline,
            user=office,
            organization_kinds=kinds,
            territory=loader.territories["region"],
            mode=DistributionMode.MANDATORY,
            deadline=deadline,
            report_requested=False,
            message=message,
        )
    loader.count(Document)
    return distribution


def _acknowledger(recipient: Recipient) -> User | None:
    """Who acknowledges for the organization: its own account, or the deputy akim who
    coordinates its city or district."""
    organization = recipient.organization
    return (
        User.objects.filter(organization=organization).first()
        or User.objects.filter(
            role=Role.COORDINATOR, person__appointments__organization=organization
        ).first()
    )


def load_documents(loader: Any) -> None:
    """Load the guideline and its distribution once (skip when documents exist)."""
    if Document.objects.exists():
        return
    distribution = _guideline(
        loader,
        title={
            "kk": TEXT["kk"][0],
            "ru": TEXT["ru"][0],
            "en": "Tulgatanu: a methodological guideline on studying and promoting the region's prominent people",
        },
        paragraphs={"kk": TEXT["kk"][1], "ru": TEXT["ru"][1]},
        description={
            "kk": "Облыс әкімінің орынбасары кеңесте таныстырылған нұсқаулықты барлық аудандар мен мекемелерге басшылыққа алуды тапсырды.",
            "ru": "Заместитель акима области поручил всем районам и учреждениям руководствоваться рекомендациями, представленными на совещании.",
        },
        author="tulgatanu",
        sent=datetime.datetime(2020, 4, 23, 11, tzinfo=ALMATY),
        deadline=datetime.date(2020, 5, 15),
        kinds=["akimat", "department", "school", "college", "university", "culture"],
        message="Кеңестің шешімі бойынша / По решению совещания 21.04.2020",
    )
    # Those who have an account acknowledge, a few days after the sending: each akimat
    # through its deputy akim, the culture department, a Saran school.
    for recipient in Recipient.objects.filter(distribution=distribution).select_related(
        "organization"
    ):
        user = _acknowledger(recipient)
        if user is not None:
            day = 24 + recipient.pk % 20
            moment = datetime.datetime(2020, 4, 1, 11, tzinfo=ALMATY) + datetime.timedelta(days=day)
            with loader.clock.at(moment):
                acknowledge(recipient, user=user, report="")
                # The service marks the row with a bulk update, which sends no signal.
                loader.clock.restamp(Recipient.objects.filter(pk=recipient.pk), "acknowledged_at")


CURRENT_TITLE = {
    "kk": "«Қазақстанның 100 жаңа есімі» жобасына үміткерлерді ұсыну жөніндегі әдістемелік ұсынымдар",
    "ru": "Методические рекомендации по выдвижению кандидатов в проект «100 новых лиц Казахстана»",
    "en": "Guideline on nominating candidates for the “100 New Faces of Kazakhstan” project",
}
CURRENT_PARAGRAPHS = {
    "kk": [
        "Ұсынымдар аудандар мен қалалардан үміткерлерді іріктеу өлшемдерін сипаттайды.",
        "Мектептер мен әкімдіктер жерлестердің өмірбаяны мен жетістіктері туралы материалдарды жинайды.",
        "Ұсынымдар облыстық комиссияға белгіленген мерзімде жолданады.",
    ],
    "ru": [
        "Рекомендации описывают критерии отбора кандидатов от районов и городов.",
        "Школы и акиматы собирают материалы о биографии и достижениях земляков.",
        "Представления направляются в областную комиссию в установленный срок.",
    ],
}
CURRENT_DESCRIPTION = {
    "kk": "Жобалық кеңсе үміткерлерді ұсыну тәртібін әкімдіктер мен мектептерге жолдады; танысқаныңызды белгілеңіз.",
    "ru": "Проектный офис направил акиматам и школам порядок выдвижения кандидатов; отметьте ознакомление.",
}
# The akimats that have acknowledged the current guideline (through their deputy akims).
ACKNOWLEDGED_NOW = ("karaganda", "temirtau", "balkhash", "abai", "shakhtinsk")


def load_current_documents(loader: Any, today: datetime.date) -> None:
    """A guideline sent six days ago to the akimats and schools, with a deadline next week:
    five akimats have acknowledged it, the others (Saran's among them) and the schools not yet.
    Once: skipped when a document was sent after 2020."""
    if Document.objects.filter(created_at__year__gt=2020).exists():
        return
    sent = datetime.datetime.combine(
        today - datetime.timedelta(days=6), datetime.time(10), tzinfo=ALMATY
    )
    distribution = _guideline(
        loader,
        title=CURRENT_TITLE,
        paragraphs=CURRENT_PARAGRAPHS,
        description=CURRENT_DESCRIPTION,
        author="project_office",
        sent=sent,
        deadline=today + datetime.timedelta(days=7),
        kinds=["akimat", "school"],
        message="Облыстық кеңестің шешімі бойынша / По решению областного совещания",
    )
    akimats = {loader.organizations[f"{key}:akimat"].pk: key for key in ACKNOWLEDGED_NOW}
    for offset, recipient in enumerate(
        Recipient.objects.filter(distribution=distribution, organization__in=list(akimats))
        .select_related("organization")
        .order_by("pk")
    ):
        user = _acknowledger(recipient)
        if user is not None:
            with loader.clock.at(sent + datetime.timedelta(days=1 + offset % 4, hours=offset)):
                acknowledge(recipient, user=user, report="")
                # The service marks the row with a bulk update, which sends no signal.
                loader.clock.restamp(Recipient.objects.filter(pk=recipient.pk), "acknowledged_at")
