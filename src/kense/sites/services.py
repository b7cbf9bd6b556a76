"""Writes to sacred sites: saving one with its links and photos."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kense.accounts.models import User
from kense.core.attachments import MAX_PHOTOS_AT_ONCE, PHOTOS, attach, check_photos, photos_add
from kense.core.files import atomic_with_files
from kense.core.models import Attachment
from kense.core.services import save_in_scope
from kense.sites.models import Site


@atomic_with_files()
def site_save(
    site: Site,
    *,
    user: User,
    links: Mapping[str, Iterable[Any]] | None = None,
    photos: Iterable[Any] = (),
) -> Site:
    """Create or update a site with its links (each given link field, "events" or
    "publications", is replaced by what the user chose among what they see) and add the
    uploaded `photos` (JPEG or PNG). Validated fully (the coordinates both or neither); the
    result must lie in the user's change scope. Raises ValidationError or PermissionDenied,
    and then nothing is saved: neither the site, nor its links, nor any photo's file."""
    uploads = check_photos(photos)
    saved = save_in_scope(site, user=user, m2m=dict(links) if links is not None else None)
    attach(saved, uploads, user=user, field=PHOTOS, max_files=MAX_PHOTOS_AT_ONCE)
    return saved


@atomic_with_files()
def site_photos_add(site: Site, *, user: User, photos: Iterable[Any]) -> list[Attachment]:
    """Add photos to a site the user may change (kense.core.attachments.photos_add)."""
    return photos_add(site, user=user, photos=photos)
