"""The media API: publications in the caller's scope, and reading an article for links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from factories import (
    DirectionFactory,
    OrganizationFactory,
    PersonFactory,
    PublicationFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.accounts.models import User
from kense.core.permissions import Role
from kense.media.models import Publication
from kense.registry.models import Organization, OrganizationKind, Territory

pytestmark = pytest.mark.django_db

JSON = "application/json"
AsUser = Callable[..., Client]


def ids(response: Any) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
def outlet(region: Territory) -> Organization:
    return OrganizationFactory(
        name_kk="Saryarqa Aqparat", kind=OrganizationKind.MEDIA, territory=region
    )


def test_publications_are_listed_in_the_callers_scope(
    as_user: AsUser,
    project_office: User,
    coordinator_a: User,
    district_a: Territory,
    district_b: Territory,
) -> None:
    in_a = PublicationFactory(
        outlet=OrganizationFactory(kind=OrganizationKind.MEDIA, territory=district_a),
        territories=[district_a],
    )
    in_b = PublicationFactory(
        outlet=OrganizationFactory(kind=OrganizationKind.MEDIA, territory=district_b),
        territories=[district_b],
        kind="tv",
    )

    office = as_user(project_office)
    assert set(ids(office.get("/api/v1/publications"))) == {in_a.pk, in_b.pk}
    assert ids(office.get("/api/v1/publications", {"kind": "tv"})) == [in_b.pk]
    assert ids(office.get("/api/v1/publications", {"territory": district_a.pk})) == [in_a.pk]

    coordinator = as_user(coordinator_a)
    assert ids(coordinator.get("/api/v1/publications")) == [in_a.pk]
    assert coordinator.get(f"/api/v1/publications/{in_b.pk}").status_code == 404
    body = coordinator.get(f"/api/v1/publications/{in_a.pk}").json()
    assert [link["id"] for link in body["territories"]] == [district_a.pk]


def test_create_and_update_a_publication(
    as_user: AsUser, project_office: User, outlet: Organization, district_a: Territory
) -> None:
    person = PersonFactory(territory=district_a)
    client = as_user(project_office)

    created = client.post(
        "/api/v1/publications",
        {
            "outlet": outlet.pk,
            "title": "Онлайн кеңес",
            "date": "2020-04-21",
            "reach": 437,
            "territories": [district_a.pk],
            "people": [person.pk],
        },
        content_type=JSON,
    )

    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["reach"] == 437
    assert [link["id"] for link in body["people"]] == [person.pk]
    publication = Publication.objects.get()
    assert publication.created_by == project_office

    updated = client.patch(
        f"/api/v1/publications/{publication.pk}", {"kind": "radio"}, content_type=JSON
    )
    assert updated.status_code == 200, updated.json()
    assert updated.json()["kind"] == "radio"
    assert [link["id"] for link in updated.json()["territories"]] == [district_a.pk]


def test_a_publication_is_linked_to_a_direction(
    as_user: AsUser, project_office: User, outlet: Organization, district_a: Territory
) -> None:
    direction = DirectionFactory(name_kk="Туған жерге тағзым", name_ru="Туған жерге тағзым")
    other = DirectionFactory(program=direction.program)
    client = as_user(project_office)

    created = client.post(
        "/api/v1/publications",
        {
            "outlet": outlet.pk,
            "title": "Туған жерге тағзым: ауылға кітапхана",
            "territories": [district_a.pk],
            "programs": [direction.program_id],
            "directions": [direction.pk],
        },
        content_type=JSON,
    )

    assert created.status_code == 201, created.json()
    assert created.json()["directions"] == [{"id": direction.pk, "name": "Туған жерге тағзым"}]
    publication = Publication.objects.get()
    assert list(publication.directions.all()) == [direction]
    assert list(direction.publications.all()) == [publication]

    kept = client.patch(f"/api/v1/publications/{publication.pk}", {"reach": 5}, JSON)
    assert [link["id"] for link in kept.json()["directions"]] == [direction.pk]
    changed = client.patch(
        f"/api/v1/publications/{publication.pk}", {"directions": [other.pk]}, content_type=JSON
    )
    assert changed.status_code == 200, changed.json()
    assert [link["id"] for link in changed.json()["directions"]] == [other.pk]
    listed = client.get("/api/v1/publications").json()["items"]
    assert [link["id"] for link in listed[0]["directions"]] == [other.pk]
    unknown = client.patch(
        f"/api/v1/publications/{publication.pk}", {"directions": [999999]}, content_type=JSON
    )
    assert unknown.status_code == 422
    assert {error["field"] for error in unknown.json()["detail"]} == {"directions"}
    assert list(publication.directions.all()) == [other]
    # The links are audited with the publication: the latest version has the new one, an
    # earlier one the first.
    versions = list(publication.history.all())  # type: ignore[attr-defined]
    linked = [[link.direction_id for link in version.directions.all()] for version in versions]
    assert linked[0] == [other.pk]
    assert [direction.pk] in linked[1:]


def test_a_direction_linked_through_the_api_is_shown_on_the_publication_page(
    as_user: AsUser, project_office: User, outlet: Organization, district_a: Territory
) -> None:
    direction = DirectionFactory(name_kk="Туған жерге тағзым", name_ru="Туған жерге тағзым")
    created = as_user(project_office).post(
        "/api/v1/publications",
        {
            "outlet": outlet.pk,
            "title": "Ауылға кітапхана",
            "territories": [district_a.pk],
            "directions": [direction.pk],
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.json()
    browser = Client()
    browser.force_login(project_office, backend="django.contrib.auth.backends.ModelBackend")

    page = browser.get(reverse("media:publication_detail", args=[created.json()["id"]]))

    assert page.status_code == 200
    assert f'href="{direction.get_absolute_url()}"' in page.text
    assert "Туған жерге тағзым" in page.text


def test_writes_are_refused_outside_the_scope(
    as_user: AsUser,
    coordinator_a: User,
    observer: User,
    outlet: Organization,
    district_a: Territory,
    district_b: Territory,
) -> None:
    payload = {"outlet": outlet.pk, "title": "Той", "territories": [district_b.pk]}
    assert (
        as_user(observer).post("/api/v1/publications", payload, content_type=JSON).status_code
        == 403
    )
    coordinator = as_user(coordinator_a)
    refused = coordinator.post("/api/v1/publications", payload, content_type=JSON)
    assert refused.status_code == 422  # the district B territory is not the coordinator's
    assert not Publication.objects.exists()

    local = OrganizationFactory(kind=OrganizationKind.MEDIA, territory=district_a)
    payload = {"outlet": local.pk, "title": "Той", "territories": [district_a.pk]}
    assert coordinator.post("/api/v1/publications", payload, content_type=JSON).status_code == 201


def test_ingest_refuses_empty_and_enormous_articles(
    as_user: AsUser, project_office: User, settings: Any
) -> None:
    settings.KENSE_ARTICLE_MAX_CHARS = 100
    client = as_user(project_office)
    empty = client.post("/api/v1/publications/ingest", {"html": "<script>x</script>"}, JSON)
    assert empty.status_code == 422
    enormous = client.post("/api/v1/publications/ingest", {"text": "а" * 101}, JSON)
    assert enormous.status_code == 422
    assert not Publication.objects.exists()


def test_ingest_returns_the_facts_and_the_suggestions(
    as_user: AsUser, project_office: User, region: Territory
) -> None:
    scholar = PersonFactory(surname_kk="Бейсембекова", given_name_kk="Нұрсахан", territory=region)
    html = (
        "<html><head><script>alert('x')</script></head><body><h1>Кеңес</h1>"
        "<p>21 апреля 2020. Нұрсахан Бейсенбекова Ұлытау облысында сөйледі.</p>"
        "<p>👁 437</p></body></html>"
    )

    response = as_user(project_office).post(
        "/api/v1/publications/ingest", {"html": html}, content_type=JSON
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["title"], body["date"], body["views"]) == ("Кеңес", "2020-04-21", 437)
    assert "alert" not in body["text"]
    found = {(item["kind"], item["id"]) for item in body["suggestions"]}
    assert {("person", scholar.pk), ("territory", region.pk)} <= found
    assert [(v["id"], v["seen"]) for v in body["variants"]] == [
        (scholar.pk, "Нұрсахан Бейсенбекова")
    ]
    assert not Publication.objects.exists()


def test_ingest_past_its_time_answers_without_suggestions_and_says_so(
    as_user: AsUser, project_office: User, region: Territory, settings: Any
) -> None:
    # The matcher is rebuilt from the caller's whole scope per request: with 22,000
    # organizations it once ran 142 s until gunicorn killed the worker (a 500).
    PersonFactory(surname_kk="Бейсембекова", given_name_kk="Нұрсахан", territory=region)
    settings.KENSE_ARTICLE_MATCH_SECONDS = 0

    response = as_user(project_office).post(
        "/api/v1/publications/ingest",
        {"text": "Кеңес\nНұрсахан Бейсембекова сөйледі."},
        content_type=JSON,
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["matcher_timed_out"] is True
    assert body["suggestions"] == []
    assert body["title"] == "Кеңес"
    assert not Publication.objects.exists()


def test_an_ingested_article_is_confirmed_with_its_links_and_aliases(
    as_user: AsUser, project_office: User, region: Territory, outlet: Any
) -> None:
    scholar = PersonFactory(surname_kk="Бейсембекова", given_name_kk="Нұрсахан", territory=region)
    client = as_user(project_office)
    read = client.post(
        "/api/v1/publications/ingest",
        {"text": "Кеңес\nНұрсахан Бейсенбекова Ұлытау облысында сөйледі."},
        content_type=JSON,
    ).json()
    (variant,) = read["variants"]
    confirm = {
        "outlet": outlet.pk,
        "title": read["title"],
        "text": read["text"],
        "people": [scholar.pk],
        "territories": [region.pk],
        "aliases": [{"kind": variant["kind"], "id": variant["id"], "seen": variant["seen"]}],
    }
    url = "/api/v1/publications/ingest/confirm"

    observer = as_user(UserFactory(role=Role.OBSERVER, territory=region))
    forbidden = observer.post(url, {**confirm, "aliases": []}, JSON)
    assert forbidden.status_code == 403
    assert forbidden.json()["detail"]
    # An alias that is not a variant found in the text is refused, and nothing is saved.
    forged = {**confirm, "aliases": [{"kind": "person", "id": scholar.pk, "seen": "Басқа"}]}
    refused = client.post(url, forged, JSON)
    assert refused.status_code == 422
    assert [error["field"] for error in refused.json()["detail"]] == ["aliases"]
    assert not Publication.objects.exists()

    saved = client.post(url, confirm, JSON)
    assert saved.status_code == 201, saved.content
    body = saved.json()
    assert body["title"] == "Кеңес"
    assert "Бейсенбекова" in body["text"]
    assert [link["id"] for link in body["people"]] == [scholar.pk]
    scholar.refresh_from_db()
    assert "Нұрсахан Бейсенбекова" in scholar.aliases


def test_a_shared_name_is_offered_as_a_choice_and_the_pick_remembered(
    as_user: AsUser, project_office: User, region: Territory, outlet: Any
) -> None:
    from kense.media.models import LinkChoice

    shet = TerritoryFactory(name_kk="Шет ауданы", kind="district", parent=region)
    abai = TerritoryFactory(name_kk="Абай ауданы", kind="district", parent=region)
    villages = [
        TerritoryFactory(name_kk="Көшім ауылы", kind="settlement", parent=parent)
        for parent in (shet, abai)
    ]
    client = as_user(project_office)
    text = "Көшімде кітапхана ашылды."
    read = client.post("/api/v1/publications/ingest", {"text": text}, content_type=JSON).json()
    (choice,) = read["choices"]
    assert choice["surface"] == "Көшімде"
    assert [(o["id"], o["where"]) for o in choice["options"]] == [
        (villages[0].pk, "Шет ауданы"),
        (villages[1].pk, "Абай ауданы"),
    ]
    assert all(o["score"] >= 1 and isinstance(o["reasons"], list) for o in choice["options"])
    assert read["suggestions"] == []

    confirm = {
        "outlet": outlet.pk,
        "title": "Көшімде кітапхана",
        "text": read["text"],
        "territories": [villages[1].pk],
    }
    saved = client.post("/api/v1/publications/ingest/confirm", confirm, JSON)
    assert saved.status_code == 201, saved.content
    (remembered,) = LinkChoice.objects.all()
    assert (remembered.kind, remembered.object_id) == ("territory", villages[1].pk)
    again = client.post("/api/v1/publications/ingest", {"text": text}, content_type=JSON).json()
    assert again["choices"] == []  # no longer a close call: the office's pick decides
    assert [s["id"] for s in again["suggestions"]] == [villages[1].pk]


# ---------------------------------------------------------------------------------------------
# Ingest from a file: POST /publications/ingest/file
# ---------------------------------------------------------------------------------------------


def _text_pdf(text: str) -> bytes:
    """A one-page PDF whose text is `text` (Latin letters: the standard Helvetica font)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    content, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(content))
        content += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(content)
    content += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    content += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
    return content + trailer % (len(objects) + 1, xref)


def test_ingest_reads_an_uploaded_file(
    as_user: AsUser, project_office: User, region: Territory
) -> None:
    text = "Кеңес\n21 апреля 2020. Ұлытау облысында кітапхана клубы ашылды.\n👁 437"
    upload = SimpleUploadedFile("article.txt", text.encode(), content_type="text/plain")

    response = as_user(project_office).post("/api/v1/publications/ingest/file", {"file": upload})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["title"], body["date"], body["views"]) == ("Кеңес", "2020-04-21", 437)
    assert ("territory", region.pk) in {(item["kind"], item["id"]) for item in body["suggestions"]}
    assert not Publication.objects.exists()


def test_ingest_reads_a_docx_and_a_pdf(as_user: AsUser, project_office: User) -> None:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("Алаш ауданында кітапхана клубы ашылды.")
    buffer = io.BytesIO()
    document.save(buffer)
    client = as_user(project_office)

    from_docx = client.post(
        "/api/v1/publications/ingest/file",
        {"file": SimpleUploadedFile("article.docx", buffer.getvalue())},
    )
    from_pdf = client.post(
        "/api/v1/publications/ingest/file",
        {"file": SimpleUploadedFile("article.pdf", _text_pdf("Library club opened in Alash"))},
    )

    assert from_docx.status_code == 200, from_docx.json()
    assert "кітапхана клубы" in from_docx.json()["text"]
    assert from_pdf.status_code == 200, from_pdf.json()
    assert "Library club opened in Alash" in from_pdf.json()["text"]


def test_ingest_refuses_a_file_that_lies_or_has_no_text(
    as_user: AsUser, project_office: User, executive: User
) -> None:
    client = as_user(project_office)
    url = "/api/v1/publications/ingest/file"

    lying = client.post(url, {"file": SimpleUploadedFile("article.docx", "мәтін".encode())})
    scan = client.post(url, {"file": SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n")})
    program = client.post(url, {"file": SimpleUploadedFile("setup.exe", b"MZ\x90\x00")})
    missing = client.post(url, {})
    refused = as_user(executive).post(
        url, {"file": SimpleUploadedFile("article.txt", "Мәтін".encode())}
    )

    for response in (lying, scan, program, missing):
        assert response.status_code == 422
        assert response.json()["detail"][0]["field"] == "file"
    assert refused.status_code == 403
