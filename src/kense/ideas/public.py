"""Residents' ideas on the open pages: what they read (selectors) and what they do (services).

A resident has no account: an e-mail address confirmed by a one-time code is their identity,
kept in their session. With it they propose ideas, support others' ideas once, withdraw their
own, and delete the address (which takes their supports and their name off their ideas).

Abuse is met here, not in the views: rate limits per address and per network (`rate_check`),
lengths and plain text (`plain_text`), photos checked by content and re-saved without their
GPS place (`clean_photo`), codes that expire, are used once and give up after a few wrong
tries (`code_confirm`), and supports made unique by the database (`idea_support`).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import ipaddress
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from kense.core.files import atomic_with_files, name_of, store
from kense.core.mail import send_templated_email
from kense.core.reminders import page_url
from kense.ideas.models import (
    CitizenAddress,
    CodePurpose,
    Idea,
    IdeaStatus,
    IdeaSupport,
    OneTimeCode,
)
from kense.registry.models import Territory, TerritoryKind

CODE_LIFETIME = datetime.timedelta(minutes=15)
MAX_WRONG_TRIES = 5
TITLE_MAX = 200
TEXT_MAX = 5000
PHOTO_MAX_BYTES = 5 * 1024 * 1024
# A 5 MB file may still decode into gigapixels (a decompression bomb): refused before decoding.
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png"}
# The EXIF tag of the GPS block (where the photo was taken).
EXIF_GPS = 0x8825
# Where a resident's idea may be: the places people live in, not a region or the country.
IDEA_PLACES = (
    TerritoryKind.CITY,
    TerritoryKind.DISTRICT,
    TerritoryKind.RURAL_DISTRICT,
    TerritoryKind.SETTLEMENT,
)

REFUSED_BLOCKED = _("This address may not propose or support ideas.")
REFUSED_UNCONFIRMED = _("Confirm your e-mail address first.")
CODE_WRONG = _("The code is wrong. Check the letter and try again.")
CODE_GONE = _("The code has expired or was already used. Ask for a new one.")
ALREADY_SUPPORTED = _("You have already supported this idea.")
NOT_SUPPORTABLE = _("This idea can no longer be supported.")


# --- rate limits ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


# action → (per address, per network). A network is an IPv4 /24 or an IPv6 /64: what one
# household or one provider's customer usually holds, so changing address within it does not
# reset the count.
LIMITS: dict[str, tuple[Limit, Limit]] = {
    "code": (Limit(5, 3600), Limit(30, 3600)),
    "propose": (Limit(5, 86400), Limit(20, 86400)),
    "support": (Limit(60, 3600), Limit(300, 3600)),
}


class RateLimited(Exception):
    """Refused for now: too many of this action from this address or network."""

    message = _("Too many attempts from your address or network. Please try again in an hour.")


def network_of(client_ip: str) -> str:
    """The /24 (IPv4) or /64 (IPv6) network of an address; the text itself if it is none."""
    try:
        ip = ipaddress.ip_address(client_ip)
    except ValueError:
        return client_ip or "unknown"
    prefix = 24 if ip.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def _within(key: str, limit: Limit) -> bool:
    # add() then incr(): atomic in the shared cache backends, so two requests at once count 2.
    cache.add(key, 0, timeout=limit.seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=limit.seconds)
        count = 1
    return count <= limit.count


def rate_check(action: str, *, email: str, client_ip: str) -> None:
    """Count one `action` for the address and the client's network; raise RateLimited when
    either went over its limit (the attempt counts all the same)."""
    per_address, per_network = LIMITS[action]
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    network_key = hashlib.sha256(network_of(client_ip).encode()).hexdigest()
    address_ok = _within(f"ideas:rate:{action}:a:{email_key}", per_address)
    network_ok = _within(f"ideas:rate:{action}:n:{network_key}", per_network)
    if not (address_ok and network_ok):
        raise RateLimited


# --- reads ----------------------------------------------------------------------------------


def public_ideas(territory: Territory | None = None, *, order: str = "newest") -> QuerySet[Idea]:
    """The residents' ideas the open pages show (neither hidden nor withdrawn), in `territory`
    or any place inside it when given, each with `supports_count`: newest first, or with
    order="supported" the most supported first."""
    ideas = Idea.objects.filter(citizen__isnull=False, hidden_at=None, withdrawn_at=None)
    if territory is not None:
        ideas = ideas.filter(territory__path__startswith=territory.path)
    ordering: tuple[str, ...] = ("-created_at", "-pk")
    if order == "supported":
        ordering = ("-supports_count", *ordering)
    return (
        ideas.select_related("territory")
        .annotate(supports_count=Count("supports"))
        .order_by(*ordering)
    )


def public_idea(pk: int) -> Idea | None:
    """One idea of `public_ideas`, with what its page shows, or None."""
    return (
        public_ideas()
        .select_related("accepted_project", "accepted_event", "merged_into")
        .filter(pk=pk)
        .first()
    )


def ideas_of(address: CitizenAddress) -> QuerySet[Idea]:
    """The ideas `address` proposed, withdrawn ones too, newest first."""
    return (
        Idea.objects.filter(citizen=address)
        .select_related("territory")
        .annotate(supports_count=Count("supports"))
        .order_by("-created_at", "-pk")
    )


def idea_places() -> QuerySet[Territory]:
    """The places a resident may name for an idea: cities, districts and settlements in use."""
    today = timezone.localdate()
    return Territory.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today), kind__in=IDEA_PLACES
    ).order_by("path")


def idea_areas() -> QuerySet[Territory]:
    """The cities and districts the public list filters by (settlements are found in them)."""
    today = timezone.localdate()
    return Territory.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today),
        kind__in=(TerritoryKind.CITY, TerritoryKind.DISTRICT),
    ).order_by("path")


def supported(idea: Idea, address: CitizenAddress | None) -> bool:
    return address is not None and IdeaSupport.objects.filter(idea=idea, address=address).exists()


def confirmed_address(address_id: Any) -> CitizenAddress | None:
    """The confirmed, unblocked address of that id (what a session remembers), or None."""
    if not isinstance(address_id, int):
        return None
    return CitizenAddress.objects.filter(
        pk=address_id, confirmed_at__isnull=False, blocked_at=None
    ).first()


# --- plain text and photos ------------------------------------------------------------------


def plain_text(text: str) -> str:
    """`text` as plain text: line breaks unified, control characters (but line breaks and
    tabs) removed, outer blanks stripped. Markup stays as typed: pages escape it."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        char
        for char in text
        if char in "\n\t" or unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co")
    ).strip()


def clean_photo(upload: Any, *, keep_place: bool = False) -> ContentFile[bytes]:
    """The photo re-saved from its decoded pixels (so nothing but an image is stored), with
    its EXIF kept but the GPS block removed unless `keep_place`. Raises ValidationError for a
    file over PHOTO_MAX_BYTES or one that is not a JPEG or PNG image."""
    name, _extension = name_of(upload)
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(_("The photo is larger than 5 MB."))
    not_an_image = ValidationError(
        _("The file %(name)s is not a JPEG or PNG photo."), params={"name": name}
    )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in PHOTO_FORMATS:
                raise not_an_image
            if probe.width * probe.height > PHOTO_MAX_PIXELS:
                raise ValidationError(_("The photo has too many pixels."))
            probe.verify()  # the whole file, not only its header
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image_format = str(image.format)
            exif = image.getexif()
            if not keep_place and EXIF_GPS in exif:
                del exif[EXIF_GPS]
            out = io.BytesIO()
            options: dict[str, Any] = {"exif": exif.tobytes()} if len(exif) else {}
            if image_format == "JPEG":
                options["quality"] = 90
            image.save(out, format=image_format, **options)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise not_an_image from None
    finally:
        upload.seek(0)
    return ContentFile(out.getvalue(), name=f"photo.{PHOTO_FORMATS[image_format]}")


# --- addresses and codes --------------------------------------------------------------------


def _code_hash(address: CitizenAddress, code: str) -> str:
    # Keyed by the site's secret: the table alone does not reveal a code, even by trying all
    # million of them.
    return salted_hmac("kense.ideas.code", f"{address.pk}:{code}").hexdigest()


def _address_for(email: str) -> CitizenAddress:
    email = email.strip()
    address = CitizenAddress.objects.filter(email__iexact=email).first()
    if address is not None:
        return address
    try:
        with transaction.atomic():
            return CitizenAddress.objects.create(email=email)
    except IntegrityError:  # the same address asked twice at once: the other request made it
        return CitizenAddress.objects.get(email__iexact=email)


@transaction.atomic
def code_request(
    *, email: str, language: str, purpose: str, client_ip: str, next_url: str = ""
) -> CitizenAddress:
    """Send a new one-time code to `email` in `language` (on commit), superseding the earlier
    ones. Raises RateLimited, or ValidationError for a blocked address."""
    rate_check("code", email=email, client_ip=client_ip)
    address = _address_for(email)
    if address.is_blocked:
        raise ValidationError(REFUSED_BLOCKED)
    address.language = language
    address.save(update_fields=["language"])
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    OneTimeCode.objects.create(
        address=address,
        code_hash=_code_hash(address, code),
        purpose=purpose,
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    send_templated_email(
        to=[address.email],
        template="ideas/mail/citizen_code",
        context={
            "code": code,
            "purpose": CodePurpose(purpose).label,
            "minutes": int(CODE_LIFETIME.total_seconds() // 60),
            "manage_url": page_url("public:idea_mine", [], language),
        },
        language=language,
    )
    return address


def code_confirm(*, address_id: int, code: str) -> CitizenAddress:
    """Confirm the address with the code of its latest request: used once, within
    CODE_LIFETIME, before MAX_WRONG_TRIES wrong tries. Raises ValidationError otherwise."""
    address = CitizenAddress.objects.filter(pk=address_id).first()
    latest = (
        OneTimeCode.objects.filter(address_id=address_id).order_by("-created_at", "-pk").first()
    )
    now = timezone.now()
    if (
        address is None
        or latest is None
        or latest.used_at is not None
        or latest.expires_at <= now
        or latest.wrong_tries >= MAX_WRONG_TRIES
    ):
        raise ValidationError(CODE_GONE)
    if address.is_blocked:
        raise ValidationError(REFUSED_BLOCKED)
    if not constant_time_compare(latest.code_hash, _code_hash(address, code.strip())):
        # One conditional UPDATE each: tries made at once cannot count as fewer.
        OneTimeCode.objects.filter(pk=latest.pk).update(wrong_tries=F("wrong_tries") + 1)
        raise ValidationError(CODE_WRONG)
    # The code is spent by whoever's UPDATE finds it unused: two requests with it, one pass.
    with transaction.atomic():
        spent = OneTimeCode.objects.filter(
            pk=latest.pk, used_at=None, wrong_tries__lt=MAX_WRONG_TRIES
        ).update(used_at=now)
        if not spent:
            raise ValidationError(CODE_GONE)
        if address.confirmed_at is None:
            address.confirmed_at = now
            address.save(update_fields=["confirmed_at"])
    return address


def _require_usable(address: CitizenAddress) -> None:
    address.refresh_from_db(fields=["confirmed_at", "blocked_at"])
    if address.blocked_at is not None:
        raise PermissionDenied(REFUSED_BLOCKED)
    if address.confirmed_at is None:
        raise PermissionDenied(REFUSED_UNCONFIRMED)


# --- ideas ----------------------------------------------------------------------------------


@atomic_with_files()
def citizen_propose(
    *,
    address: CitizenAddress,
    title: str,
    text: str,
    territory: Territory,
    language: str,
    client_ip: str,
    latitude: float | None = None,
    longitude: float | None = None,
    photo: Any = None,
    keep_photo_place: bool = False,
) -> Idea:
    """Record a resident's idea (RECEIVED) and tell them on commit. Raises PermissionDenied
    for an unconfirmed or blocked address, RateLimited, or ValidationError for bad input
    (nothing saved, no file left)."""
    _require_usable(address)
    rate_check("propose", email=address.email, client_ip=client_ip)
    title, text = plain_text(title), plain_text(text)
    errors: dict[str, Any] = {}
    if len(title) > TITLE_MAX:
        errors["title"] = _("At most %(count)d characters.") % {"count": TITLE_MAX}
    if len(text) > TEXT_MAX:
        errors["description"] = _("At most %(count)d characters.") % {"count": TEXT_MAX}
    if territory.kind not in IDEA_PLACES:
        errors["territory"] = _("Choose a city, a district or a settlement.")
    if errors:
        raise ValidationError(errors)
    idea = Idea(
        title=title,
        description=text,
        territory=territory,
        citizen=address,
        language=language,
        latitude=latitude,
        longitude=longitude,
        status=IdeaStatus.RECEIVED,
    )
    idea._history_user = None
    idea.full_clean()
    if photo:
        content = clean_photo(photo, keep_place=keep_photo_place)
        store(idea.photo, content.name or "photo", content)
    idea.save()
    tell_citizen(idea, event="received")
    return idea


def idea_support(*, idea: Idea, address: CitizenAddress, client_ip: str) -> IdeaSupport:
    """Count `address`'s support of a public idea, once. Raises ValidationError for a second
    support (also when two arrive at once: the unique constraint refuses the later one),
    PermissionDenied for an unusable address, RateLimited."""
    _require_usable(address)
    if not idea.is_public or idea.status == IdeaStatus.MERGED:
        raise ValidationError(NOT_SUPPORTABLE)
    rate_check("support", email=address.email, client_ip=client_ip)
    try:
        with transaction.atomic():
            return IdeaSupport.objects.create(idea=idea, address=address)
    except IntegrityError:
        raise ValidationError(ALREADY_SUPPORTED) from None


@transaction.atomic
def idea_withdraw(*, idea: Idea, address: CitizenAddress) -> Idea:
    """Withdraw the resident's own idea from the open pages (the office keeps it, marked)."""
    if idea.citizen_id != address.pk:
        raise PermissionDenied
    if idea.withdrawn_at is None:
        idea.withdrawn_at = timezone.now()
        idea._history_user = None
        idea._change_reason = "withdrawn by the proposer"  # type: ignore[attr-defined]
        idea.save(update_fields=["withdrawn_at"])
    return idea


@transaction.atomic
def address_forget(*, address: CitizenAddress) -> None:
    """Delete the address: its codes and supports go with it; its ideas are withdrawn, keep
    no link to it and lose their photo (which may show the proposer)."""
    now = timezone.now()
    for idea in Idea.objects.filter(citizen=address).select_for_update():
        photo = idea.photo.name
        idea.withdrawn_at = idea.withdrawn_at or now
        idea.citizen = None
        idea.photo = ""
        idea._history_user = None
        idea._change_reason = "the proposer deleted their address"  # type: ignore[attr-defined]
        idea.save(update_fields=["withdrawn_at", "citizen", "photo"])
        if photo:
            transaction.on_commit(functools.partial(idea.photo.storage.delete, photo))
    address.delete()


# The daily step (kense.core.daily): what a resident left unfinished is not kept.
UNCONFIRMED_KEPT = datetime.timedelta(days=1)


def residents_purge(today: datetime.date) -> int:
    """Delete the addresses never confirmed and the codes sent more than UNCONFIRMED_KEPT
    ago (a code lives 15 minutes; an address nobody confirmed is someone's personal data for
    nothing). Returns how many rows went; idempotent."""
    before = timezone.now() - UNCONFIRMED_KEPT
    codes, _kinds = OneTimeCode.objects.filter(created_at__lt=before).delete()
    addresses, _kinds = CitizenAddress.objects.filter(
        confirmed_at=None, created_at__lt=before, ideas=None
    ).delete()
    return codes + addresses


# --- letters --------------------------------------------------------------------------------


def tell_citizen(idea: Idea, *, event: str) -> None:
    """Mail the idea's resident (if any) in their language that `event` happened to it:
    "received", a new status, or "hidden". Sent on commit of the caller's transaction."""
    address = idea.citizen
    if address is None:
        return
    language = idea.language or address.language or settings.LANGUAGE_CODE
    send_templated_email(
        to=[address.email],
        template="ideas/mail/citizen_idea",
        context={
            "idea": idea,
            "event": event,
            "idea_url": page_url("public:idea_detail", [idea.pk], language),
            "manage_url": page_url("public:idea_mine", [], language),
        },
        language=language,
    )
