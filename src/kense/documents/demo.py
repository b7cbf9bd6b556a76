"""The documents of the demo: the «Тұлғатану» centre's methodological guideline (DOMAIN.md
¶11–12), in Kazakh and Russian, sent in April 2020 to every city's and district's akimat, the
regional departments, and the schools, colleges, universities and cultural institutions, with a
deadline to acknowledge; the akimats (through their deputy akims), the culture department and a
Saran school have acknowledged it, the rest are overdue — a realistic state for the tracking page.

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


def _docx(language: str) -> SimpleUploadedFile:
    title, paragraphs = TEXT[language]
    document = Docx()
    document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(f"tulgatanu-{language}.docx", buffer.getvalue(), content_type=DOCX)


def load_documents(loader: Any) -> None:
    """Load the guideline and its distribution once (skip when documents exist)."""
    if Document.objects.exists():
        return
    office = User.objects.get(username="office")
    guideline = Document(
        title_kk=TEXT["kk"][0],
        title_ru=TEXT["ru"][0],
        title_en="Tulgatanu: a methodological guideline on studying and promoting the region's prominent people",
        kind=DocumentKind.GUIDELINE,
        description_kk="Облыс әкімінің орынбасары кеңесте таныстырылған нұсқаулықты барлық аудандар мен мекемелерге басшылыққа алуды тапсырды.",
        description_ru="Заместитель акима области поручил всем районам и учреждениям руководствоваться рекомендациями, представленными на совещании.",
        author_organization=loader.organizations["tulgatanu"],
    )
    document_save(guideline, user=office)
    for language in ("kk", "ru"):
        version_add(
            guideline, user=office, upload=_docx(language), language=language, change_note=""
        )
    distribution = distribution_send(
        guideline,
        user=office,
        organization_kinds=["akimat", "department", "school", "college", "university", "culture"],
        territory=loader.territories["region"],
        mode=DistributionMode.MANDATORY,
        deadline=datetime.date(2020, 5, 15),
        report_requested=False,
        message="Кеңестің шешімі бойынша / По решению совещания 21.04.2020",
    )
    loader.count(Document)
    # Those who have an account acknowledge: each akimat through its deputy akim, the culture
    # department, a Saran school.
    for recipient in Recipient.objects.filter(distribution=distribution).select_related(
        "organization"
    ):
        organization = recipient.organization
        user = (
            User.objects.filter(organization=organization).first()
            or User.objects.filter(
                role=Role.COORDINATOR, person__appointments__organization=organization
            ).first()
        )
        if user is not None:
            acknowledge(recipient, user=user, report="")
            # As it happened in 2020, a few days after the sending (the service stamps "now").
            day = 24 + recipient.pk % 20
            Recipient.objects.filter(pk=recipient.pk).update(
                acknowledged_at=datetime.datetime(2020, 4, 1, 11, tzinfo=ALMATY)
                + datetime.timedelta(days=day)
            )
