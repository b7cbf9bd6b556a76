"""Sacred sites pages: parse, call a selector or a service, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kense.accounts.auth import AuthenticatedRequest
from kense.core.attachments import attachment_of, attachment_response, attachments_of
from kense.core.forms import handle_form, object_for_edit
from kense.core.lists import Column, ListSpec, render_list
from kense.core.permissions import can_add, get_visible
from kense.core.views import audit_context
from kense.sites import selectors, services
from kense.sites.filters import SiteFilters
from kense.sites.forms import SiteForm
from kense.sites.models import LINKS, Site


def _coordinates(site: Site) -> str:
    location = site.location
    return "" if location is None else f"{location[0]:.5f}, {location[1]:.5f}"


# The list's columns; the Excel export has the same, the coordinates as two numbers.
COLUMNS = [
    Column(_("Name"), lambda s: s.name, link=True),
    Column(_("Kind"), lambda s: s.get_kind_display()),
    Column(_("List"), lambda s: s.get_sacred_list_display()),
    Column(_("Territory"), lambda s: s.territory),
    Column(_("Protection status"), lambda s: s.get_protection_display()),
    Column(_("Coordinates"), _coordinates),
]


@login_required
def site_list(request: AuthenticatedRequest) -> HttpResponse:
    """The sites the user sees, with filters, in Kazakh order; ?export=xlsx for Excel."""
    may_add = can_add(request.user, Site)
    spec = ListSpec(
        title=_("Sacred sites"),
        columns=COLUMNS,
        rows=selectors.site_list,
        filters=SiteFilters,
        export_name="sacred-sites",
        add_url=reverse("sites:site_add") if may_add else None,
        # The import is offered to those who may add sites, as its page checks.
        links=[(_("Import from Excel"), reverse("sites:site_import"))] if may_add else [],
    )
    return render_list(request, spec)


def _site(request: AuthenticatedRequest, pk: int) -> Site:
    return get_visible(selectors.site_detail_queryset(), request.user, pk=pk)


@login_required
def site_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    site = _site(request, pk)
    context = {
        "site": site,
        "photos": attachments_of([site])[site],
        **audit_context(request, site),
    }
    return render(request, "sites/site_detail.html", context)


@login_required
def site_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    site = object_for_edit(request, Site, pk)
    form = SiteForm(request.POST or None, request.FILES or None, instance=site, user=request.user)
    return handle_form(
        request,
        form,
        lambda form: services.site_save(
            form.instance,
            user=request.user,
            links={name: form.cleaned_data[name] for name in LINKS},
            photos=form.cleaned_data["photos"],
        ),
        title=_("Edit sacred site") if pk else _("New sacred site"),
        cancel_url=site.get_absolute_url() if pk else reverse("sites:site_list"),
    )


@login_required
def photo_download(request: AuthenticatedRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A site's photo, to those who see the site."""
    site = _site(request, pk)
    return attachment_response(attachment_of(site, attachment_pk))
