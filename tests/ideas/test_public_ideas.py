"""Residents' ideas on the open pages: the one-time code (hashed, expiring, single-use, five
tries), proposing (honeypot, lengths, photos checked and stripped of their GPS place),
supporting once (even at once), rate limits, the letters in the resident's language, the
office's moderation and who may do it, withdrawing and deleting the address."""

from __future__ import annotations

import datetime
import io
import re
import threading
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from PIL import Image

from factories import ProjectFactory, TerritoryFactory, UserFactory
from kense.accounts.models import User
from kense.core.models import Letter
from kense.core.permissions import Role
from kense.ideas import moderation, public, services
from kense.ideas.models import (
    CitizenAddress,
    CodePurpose,
    Idea,
    IdeaStatus,
    IdeaSupport,
    OneTimeCode,
)
from kense.ideas.views.public import CONFIRMED
from kense.registry.models import Territory, TerritoryKind

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
GPS = 0x8825


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    settings.KENSE_BASE_URL = "https://kense.example.kz"
    # The messages a test expects are read in the pages' language (kk unless said).
    with translation.override("kk"):
        yield


@pytest.fixture
def region() -> Territory:
    return TerritoryFactory(
        name_kk="Қарағанды облысы", name_ru="Карагандинская область", kind=TerritoryKind.REGION
    )


@pytest.fixture
def saran(region: Territory) -> Territory:
    return TerritoryFactory(
        name_kk="Саран", name_ru="Сарань", kind=TerritoryKind.CITY, parent=region
    )


@pytest.fixture
def shet(region: Territory) -> Territory:
    return TerritoryFactory(
        name_kk="Шет ауданы", name_ru="Шетский район", kind=TerritoryKind.DISTRICT, parent=region
    )


@pytest.fixture
def office(region: Territory) -> User:
    return UserFactory(role=Role.PROJECT_OFFICE, territory=region)


@pytest.fixture
def coordinator(saran: Territory) -> User:
    return UserFactory(role=Role.COORDINATOR, territory=saran)


@pytest.fixture
def observer(region: Territory) -> User:
    return UserFactory(role=Role.OBSERVER, territory=region)


def staff(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def url(name: str, *args: Any, language: str = "kk") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def confirmed(email: str = "aigul@example.kz", language: str = "kk") -> CitizenAddress:
    return CitizenAddress.objects.create(
        email=email, language=language, confirmed_at=timezone.now()
    )


def citizen_client(address: CitizenAddress, **defaults: Any) -> Client:
    """A browser whose session remembers the confirmed address."""
    client = Client(**defaults)
    session = client.session
    session[CONFIRMED] = address.pk
    session.save()
    return client


def propose(
    address: CitizenAddress, territory: Territory, *, language: str = "kk", **fields: Any
) -> Idea:
    return public.citizen_propose(
        address=address,
        title=fields.pop("title", "Саябаққа орындықтар"),
        text=fields.pop("text", "Орталық саябақта орындық жоқ; кешке отыратын жер керек."),
        territory=territory,
        language=language,
        client_ip="10.0.0.1",
        **fields,
    )


def last_code(email: str) -> str:
    letter = Letter.objects.filter(recipients=[email]).latest("pk")
    found = re.search(r"\b(\d{6})\b", letter.subject)
    assert found, letter.subject
    return found.group(1)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(out, "PNG")
    return out.getvalue()


def in_russian(text: Any) -> str:
    with translation.override("ru"):
        return str(text)


def jpeg(*, gps: bool = True) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "KenseCam"
    if gps:
        exif[GPS] = {1: "N", 2: (49.0, 48.0, 17.0), 3: "E", 4: (73.0, 6.0, 34.0)}
    out = io.BytesIO()
    Image.new("RGB", (32, 24), "teal").save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


# --- the code -------------------------------------------------------------------------------


def test_the_code_flow_confirms_the_address_and_goes_on_to_the_idea_form() -> None:
    client = Client()
    asked = client.post(
        url("public:idea_address", language="ru") + "?purpose=propose",
        {"email": "Aigul@Example.kz", "consent": "on", "website": ""},
    )
    assert asked.status_code == 302
    assert asked["Location"] == url("public:idea_code", language="ru")
    letter = Letter.objects.get()
    assert letter.recipients == ["Aigul@Example.kz"]
    assert "/ru/public/ideas/mine/" in letter.body
    code = last_code("Aigul@Example.kz")
    stored = OneTimeCode.objects.get()
    assert code not in stored.code_hash  # only a hash is kept
    assert stored.expires_at - stored.created_at == datetime.timedelta(minutes=15)

    confirmed_response = client.post(url("public:idea_code", language="ru"), {"code": code})

    assert confirmed_response.status_code == 302
    assert confirmed_response["Location"] == url("public:idea_new", language="ru")
    address = CitizenAddress.objects.get()
    assert address.confirmed_at is not None and address.language == "ru"
    assert client.get(url("public:idea_new", language="ru")).status_code == 200


def test_an_address_is_one_whatever_its_case() -> None:
    for email in ("ivan@mail.kz", "IVAN@mail.KZ"):
        public.code_request(
            email=email, language="kk", purpose=CodePurpose.PROPOSE, client_ip="10.0.0.1"
        )
    assert CitizenAddress.objects.count() == 1


def test_a_code_is_used_once() -> None:
    address = public.code_request(
        email="a@example.kz", language="kk", purpose=CodePurpose.PROPOSE, client_ip="10.0.0.1"
    )
    code = last_code("a@example.kz")
    public.code_confirm(address_id=address.pk, code=code)
    with pytest.raises(ValidationError) as refused:
        public.code_confirm(address_id=address.pk, code=code)
    assert refused.value.messages == [str(public.CODE_GONE)]


def test_a_code_expires_after_fifteen_minutes() -> None:
    address = public.code_request(
        email="a@example.kz", language="kk", purpose=CodePurpose.PROPOSE, client_ip="10.0.0.1"
    )
    code = last_code("a@example.kz")
    later = timezone.now() + datetime.timedelta(minutes=15, seconds=1)
    with time_machine.travel(later), pytest.raises(ValidationError) as refused:
        public.code_confirm(address_id=address.pk, code=code)
    assert refused.value.messages == [str(public.CODE_GONE)]
    assert CitizenAddress.objects.get().confirmed_at is None


def test_a_new_code_supersedes_the_earlier_one() -> None:
    address = public.code_request(
        email="a@example.kz", language="kk", purpose=CodePurpose.PROPOSE, client_ip="10.0.0.1"
    )
    first = last_code("a@example.kz")
    public.code_request(
        email="a@example.kz", language="kk", purpose=CodePurpose.PROPOSE, client_ip="10.0.0.1"
    )
    second = last_code("a@example.kz")
    if first != second:
        with pytest.raises(ValidationError):
            public.code_confirm(address_id=address.pk, code=first)
    public.code_confirm(address_id=address.pk, code=second)


def test_five_wrong_tries_spend_the_code() -> None:
    address = public.code_request(
        email="a@example.kz", language="kk", purpose=CodePurpose.PROPOSE, client_ip="10.0.0.1"
    )
    code = last_code("a@example.kz")
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _try in range(public.MAX_WRONG_TRIES):
        with pytest.raises(ValidationError) as refused:
            public.code_confirm(address_id=address.pk, code=wrong)
        assert refused.value.messages == [str(public.CODE_WRONG)]
    with pytest.raises(ValidationError) as refused:
        public.code_confirm(address_id=address.pk, code=code)  # the right one, too late
    assert refused.value.messages == [str(public.CODE_GONE)]


def test_a_wrong_code_on_the_page_is_refused_in_the_pages_language() -> None:
    client = Client()
    client.post(
        url("public:idea_address", language="ru"),
        {"email": "a@example.kz", "consent": "on"},
    )
    code = last_code("a@example.kz")
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    response = client.post(url("public:idea_code", language="ru"), {"code": wrong})

    assert response.status_code == 400
    assert in_russian(public.CODE_WRONG) in response.content.decode()
    assert CitizenAddress.objects.get().confirmed_at is None


# --- proposing ------------------------------------------------------------------------------


def test_a_confirmed_resident_proposes_an_idea_and_is_told_in_their_language(
    saran: Territory,
) -> None:
    address = confirmed(language="ru")
    client = citizen_client(address)

    response = client.post(
        url("public:idea_new", language="ru"),
        {
            "territory": saran.pk,
            "title": "Скамейки в парке <b>сейчас</b>",
            "description": "В центральном парке\r\nнет скамеек.\x07",
            "latitude": "49.8",
            "longitude": "73.1",
            "website": "",
        },
    )

    assert response.status_code == 302
    idea = Idea.objects.get()
    assert (idea.citizen, idea.proposer, idea.status) == (address, None, IdeaStatus.RECEIVED)
    assert (idea.language, idea.location) == ("ru", (49.8, 73.1))
    assert idea.description == "В центральном парке\nнет скамеек."  # plain text
    letter = Letter.objects.get()
    assert letter.recipients == [address.email]
    assert "/ru/public/ideas/" in letter.body  # the resident's language
    page = Client().get(url("public:idea_detail", idea.pk, language="ru")).content.decode()
    assert "Скамейки в парке &lt;b&gt;сейчас&lt;/b&gt;" in page  # stored as typed, escaped


def test_the_idea_form_asks_an_unconfirmed_visitor_for_their_address() -> None:
    response = Client().get(url("public:idea_new"))
    assert response.status_code == 302
    assert response["Location"].startswith(url("public:idea_address"))


def test_a_filled_honeypot_is_refused_and_nothing_saved(saran: Territory) -> None:
    client = citizen_client(confirmed())

    response = client.post(
        url("public:idea_new"),
        {
            "territory": saran.pk,
            "title": "Спам",
            "description": "Спам.",
            "website": "http://spam.example",
        },
    )

    assert response.status_code == 400
    assert not Idea.objects.exists()


def test_a_filled_honeypot_on_the_address_form_sends_no_code() -> None:
    response = Client().post(
        url("public:idea_address"),
        {"email": "bot@example.kz", "consent": "on", "website": "http://spam.example"},
    )
    assert response.status_code == 400
    assert not Letter.objects.exists() and not CitizenAddress.objects.exists()


def test_the_idea_page_shows_the_place_the_photo_the_answer_and_the_supports(
    saran: Territory, office: User
) -> None:
    idea = propose(
        confirmed(),
        saran,
        latitude=49.7971,
        longitude=72.8498,
        photo=SimpleUploadedFile("p.png", _png(), "image/png"),
    )
    public.idea_support(idea=idea, address=confirmed("s@example.kz"), client_ip="10.0.0.4")
    services.idea_reject(idea, user=office, answer="Қала әкімдігіне жібердік.")

    page = Client().get(url("public:idea_detail", idea.pk)).content.decode()

    assert "49.79710, 72.84980" in page
    assert url("public:idea_photo", idea.pk) in page
    assert "Қала әкімдігіне жібердік." in page
    assert str(IdeaStatus.REJECTED.label) in page
    assert "<dd>1</dd>" in page  # its supports
    assert "<script" not in page
    assert url("public:privacy") in page


def test_texts_are_length_limited(saran: Territory) -> None:
    with pytest.raises(ValidationError) as refused:
        propose(confirmed(), saran, title="а" * 201)
    assert "title" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        propose(confirmed("b@example.kz"), saran, text="б" * 5001)
    assert "description" in refused.value.message_dict
    assert not Idea.objects.exists()


def test_an_idea_is_about_a_place_people_live_in(region: Territory) -> None:
    with pytest.raises(ValidationError) as refused:
        propose(confirmed(), region)
    assert "territory" in refused.value.message_dict


def test_a_file_that_is_not_an_image_is_refused(saran: Territory, tmp_path: Any) -> None:
    liar = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image at all", "image/jpeg")
    with pytest.raises(ValidationError):
        propose(confirmed(), saran, photo=liar)
    assert not Idea.objects.exists()
    assert not any(path.is_file() for path in tmp_path.rglob("*"))


def test_a_photo_over_five_megabytes_is_refused(saran: Territory) -> None:
    big = SimpleUploadedFile("big.jpg", jpeg() + b"\0" * (5 * 1024 * 1024), "image/jpeg")
    with pytest.raises(ValidationError) as refused:
        propose(confirmed(), saran, photo=big)
    assert refused.value.messages == [str(_("The photo is larger than 5 MB."))]


def test_a_photo_loses_its_gps_place_unless_the_proposer_keeps_it(saran: Territory) -> None:
    stripped = propose(confirmed(), saran, photo=SimpleUploadedFile("p.jpg", jpeg(), "image/jpeg"))
    kept = propose(
        confirmed("b@example.kz"),
        saran,
        photo=SimpleUploadedFile("p.jpg", jpeg(), "image/jpeg"),
        keep_photo_place=True,
    )

    with Image.open(stripped.photo.open("rb")) as image:
        exif = image.getexif()
        assert exif.get(0x010F) == "KenseCam"  # the rest of the EXIF stays
        assert GPS not in exif and not exif.get_ifd(GPS)
    with Image.open(kept.photo.open("rb")) as image:
        assert image.getexif().get_ifd(GPS)[1] == "N"
    served = Client().get(url("public:idea_photo", stripped.pk))
    assert served.status_code == 200
    assert b"".join(served.streaming_content).startswith(b"\xff\xd8\xff")  # type: ignore[attr-defined]


# --- supporting -----------------------------------------------------------------------------


def test_an_address_supports_an_idea_once(saran: Territory) -> None:
    idea = propose(confirmed(), saran)
    supporter = confirmed("s@example.kz")
    client = citizen_client(supporter)

    first = client.post(url("public:idea_support", idea.pk))
    second = client.post(url("public:idea_support", idea.pk), follow=True)

    assert first.status_code == 302
    assert IdeaSupport.objects.filter(idea=idea).count() == 1
    assert str(public.ALREADY_SUPPORTED) in second.content.decode()
    assert public.public_ideas().get().supports_count == 1  # type: ignore[attr-defined]


def test_supporting_asks_an_unconfirmed_visitor_for_their_address(saran: Territory) -> None:
    idea = propose(confirmed(), saran)
    response = Client().post(url("public:idea_support", idea.pk))
    assert response.status_code == 302
    assert "purpose=support" in response["Location"]
    assert not IdeaSupport.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_supports_at_once_count_once(saran: Territory) -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # The in-memory test database shares one cache between connections, whose table
        # locks fail at once instead of waiting; the test above covers the second support.
        pytest.skip("needs a database file or PostgreSQL for concurrent connections")
    idea = propose(confirmed(), saran)
    supporter = confirmed("s@example.kz")
    barrier = threading.Barrier(2)
    counted: list[int] = []
    refused: list[ValidationError] = []
    errors: list[BaseException] = []

    def support() -> None:
        try:
            barrier.wait()
            public.idea_support(
                idea=Idea.objects.get(pk=idea.pk),
                address=CitizenAddress.objects.get(pk=supporter.pk),
                client_ip="10.0.0.2",
            )
            counted.append(1)
        except ValidationError as error:
            refused.append(error)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=support) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(counted) == 1
    assert [error.messages for error in refused] == [[str(public.ALREADY_SUPPORTED)]]
    assert IdeaSupport.objects.count() == 1


# --- rate limits ----------------------------------------------------------------------------


def test_code_requests_are_limited_per_address_with_a_429_in_the_users_language() -> None:
    client = Client()
    data = {"email": "a@example.kz", "consent": "on"}
    for _request in range(5):
        assert client.post(url("public:idea_address", language="ru"), data).status_code == 302

    refused = client.post(url("public:idea_address", language="ru"), data)

    assert refused.status_code == 429
    assert in_russian(public.RateLimited.message) in refused.content.decode()
    assert Letter.objects.count() == 5


def test_code_requests_are_limited_per_network() -> None:
    per_network = public.LIMITS["code"][1].count
    for number in range(per_network):
        Client(REMOTE_ADDR=f"192.0.2.{number % 250 + 1}").post(
            url("public:idea_address"), {"email": f"a{number}@example.kz", "consent": "on"}
        )
    # Another address of the same /24, another e-mail: refused all the same.
    refused = Client(REMOTE_ADDR="192.0.2.254").post(
        url("public:idea_address"), {"email": "new@example.kz", "consent": "on"}
    )
    elsewhere = Client(REMOTE_ADDR="198.51.100.7").post(
        url("public:idea_address"), {"email": "new@example.kz", "consent": "on"}
    )
    assert (refused.status_code, elsewhere.status_code) == (429, 302)


def test_networks_are_slash_24_and_slash_64() -> None:
    assert public.network_of("192.0.2.77") == "192.0.2.0/24"
    assert public.network_of("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"


def test_proposals_and_supports_are_limited_per_address(saran: Territory) -> None:
    address = confirmed()
    for number in range(public.LIMITS["propose"][0].count):
        propose(address, saran, title=f"Идея {number}")
    with pytest.raises(public.RateLimited):
        propose(address, saran, title="Тағы бір")

    supporter = confirmed("s@example.kz")
    ideas = list(Idea.objects.all())
    limit = public.LIMITS["support"][0]
    public.LIMITS["support"] = (public.Limit(2, limit.seconds), public.LIMITS["support"][1])
    try:
        public.idea_support(idea=ideas[0], address=supporter, client_ip="10.0.0.3")
        public.idea_support(idea=ideas[1], address=supporter, client_ip="10.0.0.3")
        with pytest.raises(public.RateLimited):
            public.idea_support(idea=ideas[2], address=supporter, client_ip="10.0.0.3")
    finally:
        public.LIMITS["support"] = (limit, public.LIMITS["support"][1])


# --- the public list ------------------------------------------------------------------------


def test_the_public_list_shows_visible_ideas_of_a_place_and_orders_by_support(
    saran: Territory, shet: Territory, office: User
) -> None:
    older = propose(confirmed(), saran, title="Бірінші")
    newer = propose(confirmed("b@example.kz"), saran, title="Екінші")
    elsewhere = propose(confirmed("c@example.kz"), shet, title="Шеттегі")
    hidden = propose(confirmed("d@example.kz"), saran, title="Жасырын")
    moderation.idea_hide(hidden, user=office, reason="Жарнама")
    staff_idea = Idea.objects.create(
        title="Қызметкердің идеясы", description="…", territory=saran, proposer=office
    )
    public.idea_support(idea=older, address=confirmed("s@example.kz"), client_ip="10.0.0.9")

    assert list(public.public_ideas(saran)) == [newer, older]
    assert list(public.public_ideas(saran, order="supported")) == [older, newer]
    assert elsewhere in public.public_ideas()
    assert staff_idea not in public.public_ideas()
    page = Client().get(url("public:idea_list") + f"?territory={saran.pk}").content.decode()
    assert "Бірінші" in page and "Екінші" in page
    assert "Шеттегі" not in page and "Жасырын" not in page


# --- the office -----------------------------------------------------------------------------


def test_the_office_hides_and_shows_an_idea_with_a_reason(saran: Territory, office: User) -> None:
    idea = propose(confirmed(language="ru"), saran, language="ru")
    client = staff(office)

    without_reason = client.post(url("ideas:idea_hide", idea.pk), {"reason": ""})
    idea.refresh_from_db()
    assert without_reason.status_code == 302 and idea.hidden_at is None

    client.post(url("ideas:idea_hide", idea.pk), {"reason": "Телефон в тексте"})

    idea.refresh_from_db()
    assert (idea.hidden_by, idea.hidden_reason) == (office, "Телефон в тексте")
    assert Client().get(url("public:idea_detail", idea.pk)).status_code == 404
    assert Client().get(url("public:idea_photo", idea.pk)).status_code == 404
    assert idea.title not in Client().get(url("public:idea_list")).content.decode()
    letter = Letter.objects.latest("pk")
    assert "Телефон в тексте" in letter.body and "/ru/public/ideas/" in letter.body
    assert idea.history.first().history_change_reason == "Телефон в тексте"  # type: ignore[attr-defined]

    client.post(url("ideas:idea_unhide", idea.pk), {"reason": "Телефон убран"})

    idea.refresh_from_db()
    assert idea.hidden_at is None
    assert Client().get(url("public:idea_detail", idea.pk)).status_code == 200


def test_the_queue_lists_residents_ideas_to_the_office(saran: Territory, office: User) -> None:
    idea = propose(confirmed(), saran)
    page = staff(office).get(url("ideas:moderation"))
    assert page.status_code == 200
    assert idea.title in page.content.decode()
    assert "aigul@example.kz" in page.content.decode()
    assert url("ideas:moderation") in staff(office).get(url("ideas:idea_list")).content.decode()


def test_a_coordinator_or_an_observer_cannot_moderate(
    saran: Territory, coordinator: User, observer: User
) -> None:
    idea = propose(confirmed(), saran)
    for user, status in ((coordinator, 403), (observer, 404)):
        client = staff(user)
        assert client.get(url("ideas:moderation")).status_code == 403
        for name in ("ideas:idea_hide", "ideas:address_block", "ideas:idea_unhide"):
            assert client.post(url(name, idea.pk), {"reason": "Неге"}).status_code == status
        assert client.get(url("ideas:idea_redact", idea.pk)).status_code == status
    idea.refresh_from_db()
    assert idea.hidden_at is None
    assert CitizenAddress.objects.get(pk=idea.citizen_id).blocked_at is None
    assert (
        url("ideas:moderation")
        not in staff(coordinator).get(url("ideas:idea_list")).content.decode()
    )
    anonymous = Client().get(url("ideas:moderation"))
    assert anonymous.status_code == 302


def test_a_blocked_address_can_neither_propose_nor_support_nor_ask_for_a_code(
    saran: Territory, office: User
) -> None:
    address = confirmed()
    idea = propose(address, saran)

    staff(office).post(url("ideas:address_block", idea.pk), {"reason": "Спам"})

    address.refresh_from_db()
    assert (address.block_reason, address.blocked_by) == ("Спам", office)
    with pytest.raises(PermissionDenied):
        propose(address, saran, title="Тағы")
    other = propose(confirmed("b@example.kz"), saran)
    with pytest.raises(PermissionDenied):
        public.idea_support(idea=other, address=address, client_ip="10.0.0.1")
    with pytest.raises(ValidationError):
        public.code_request(
            email="AIGUL@example.kz", language="kk", purpose="support", client_ip="10.0.0.1"
        )
    # The session no longer counts as confirmed.
    assert citizen_client(address).get(url("public:idea_new")).status_code == 302


def test_editing_out_personal_data_also_edits_the_history(saran: Territory, office: User) -> None:
    idea = propose(confirmed(), saran, text="Хабарласыңыз: +7 701 123 45 67, Айгүл.")

    response = staff(office).post(
        url("ideas:idea_redact", idea.pk),
        {"title": idea.title, "description": "Хабарласыңыз: [жойылды].", "reason": "Телефон"},
    )

    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.description == "Хабарласыңыз: [жойылды]."
    versions = list(idea.history.all())  # type: ignore[attr-defined]
    assert len(versions) == 2
    assert all("701" not in version.description for version in versions)
    assert versions[0].history_change_reason == "Телефон"
    assert versions[0].history_user == office


def test_the_evaluation_tells_the_resident_in_their_language(
    saran: Territory, office: User
) -> None:
    idea = propose(confirmed(language="ru"), saran, language="ru")
    services.idea_review(idea, user=office)
    assert "На рассмотрении" in Letter.objects.latest("pk").subject

    services.idea_reject(idea, user=office, answer="Это в ведении акимата города.")

    letter = Letter.objects.latest("pk")
    assert "Отклонено" in letter.subject
    assert "Это в ведении акимата города." in letter.body
    assert "https://kense.example.kz/ru/public/ideas/" in letter.body
    page = Client().get(url("public:idea_detail", idea.pk, language="ru")).content.decode()
    assert "Это в ведении акимата города." in page


def test_an_accepted_idea_tells_the_resident_which_project_it_became(
    saran: Territory, office: User
) -> None:
    idea = propose(confirmed(language="ru"), saran, language="ru")
    project = ProjectFactory(territory=saran, name_kk="Саран шежіресі", name_ru="Летопись Сарани")

    staff(office).post(url("ideas:idea_accept", idea.pk), {"project": project.pk, "answer": ""})

    idea.refresh_from_db()
    assert (idea.status, idea.accepted_project) == (IdeaStatus.ACCEPTED, project)
    letter = Letter.objects.latest("pk")
    assert "«Летопись Сарани»" in letter.body  # the project's name in the resident's language


def test_a_received_idea_may_be_merged_by_the_office(saran: Territory, office: User) -> None:
    first = propose(confirmed(), saran)
    second = propose(confirmed("b@example.kz"), saran)
    services.idea_merge(second, user=office, into=first, answer="Бірдей ұсыныс.")
    second.refresh_from_db()
    assert (second.status, second.merged_into) == (IdeaStatus.MERGED, first)
    assert "Бірдей ұсыныс." in Letter.objects.latest("pk").body


# --- withdrawing and forgetting -------------------------------------------------------------


def test_a_resident_withdraws_their_idea(saran: Territory) -> None:
    address = confirmed()
    idea = propose(address, saran)
    other = propose(confirmed("b@example.kz"), saran)
    client = citizen_client(address)

    assert client.post(url("public:idea_withdraw", other.pk)).status_code == 404
    assert client.post(url("public:idea_withdraw", idea.pk)).status_code == 302

    idea.refresh_from_db()
    assert idea.withdrawn_at is not None
    assert Client().get(url("public:idea_detail", idea.pk)).status_code == 404
    assert idea.title in client.get(url("public:idea_mine")).content.decode()


def test_deleting_the_address_removes_supports_and_unlinks_the_ideas(saran: Territory) -> None:
    address = confirmed()
    idea = propose(address, saran, photo=SimpleUploadedFile("p.jpg", jpeg(), "image/jpeg"))
    other = propose(confirmed("b@example.kz"), saran)
    public.idea_support(idea=other, address=address, client_ip="10.0.0.1")
    client = citizen_client(address)

    not_ticked = client.post(url("public:idea_forget"))
    assert not_ticked.status_code == 302 and CitizenAddress.objects.filter(pk=address.pk).exists()

    response = client.post(url("public:idea_forget"), {"confirm": "yes"})

    assert response.status_code == 302
    assert not CitizenAddress.objects.filter(pk=address.pk).exists()
    assert not IdeaSupport.objects.exists()
    assert not OneTimeCode.objects.filter(address_id=address.pk).exists()
    idea.refresh_from_db()
    assert (idea.citizen, idea.photo.name) == (None, "")
    assert idea.withdrawn_at is not None
    assert "aigul@example.kz" not in idea.proposed_by
    assert client.get(url("public:idea_mine")).status_code == 302  # the session is gone


def test_the_daily_purge_deletes_unconfirmed_addresses_and_old_codes(saran: Territory) -> None:
    kept = confirmed()
    propose(kept, saran)
    public.code_request(
        email="never@example.kz", language="kk", purpose="propose", client_ip="10.0.0.1"
    )
    public.code_request(email=kept.email, language="kk", purpose="manage", client_ip="10.0.0.1")
    assert public.residents_purge(timezone.localdate()) == 0  # all of today

    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, minutes=1)):
        assert public.residents_purge(timezone.localdate()) == 3
        assert public.residents_purge(timezone.localdate()) == 0

    assert list(CitizenAddress.objects.all()) == [kept]
    assert not OneTimeCode.objects.exists()


def test_an_idea_has_one_proposer(saran: Territory, office: User) -> None:
    idea = Idea(
        title="Екі автор", description="…", territory=saran, proposer=office, citizen=confirmed()
    )
    with pytest.raises(ValidationError):
        idea.full_clean()
    with pytest.raises(ValidationError):
        Idea(title="Авторсыз", description="…", territory=saran).full_clean()


def test_the_privacy_notice_is_translated() -> None:
    from django.template.loader import render_to_string

    with translation.override("ru"):
        notice = render_to_string("ideas/public/_privacy_notice.html")
    assert in_russian(_("Residents' ideas: your personal data")) in notice
