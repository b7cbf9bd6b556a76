"""Registry pages: parse, call a selector or a service, render."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import partial
from typing import Protocol

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kense.accounts.auth import AuthenticatedRequest
from kense.core.exports import xlsx_response
from kense.core.forms import handle_form, object_for_edit
from kense.core.lists import EXPORT, Column, ListSpec, render_list
from kense.core.permissions import Action, can, can_add, get_visible
from kense.core.views import audit_context
from kense.registry import selectors, services
from kense.registry.filters import OrganizationFilters, PersonFilters, TerritoryFilters
from kense.registry.forms import (
    AppointmentForm,
    OrganizationForm,
    PersonForm,
    StaffPostForm,
    TerritoryForm,
    TreeDateForm,
)
from kense.registry.models import (
    Appointment,
    Organization,
    OrganizationKind,
    Person,
    StaffPost,
    Territory,
)

# Territories


def _tree_date(request: HttpRequest) -> tuple[TreeDateForm, datetime.date | None]:
    form = TreeDateForm(request.GET or None)
    return form, (form.cleaned_data.get("on") if form.is_valid() else None)


@login_required
def territory_tree(request: AuthenticatedRequest) -> HttpResponse:
    """The tree as it stands, or as it stood on a chosen date."""
    form, on = _tree_date(request)
    roots = selectors.territory_roots(request.user)
    nodes = [(root, selectors.territory_children(request.user, root, on)) for root in roots]
    return render(
        request,
        "registry/territory_tree.html",
        {"nodes": nodes, "form": form, "on": on, "can_add": can_add(request.user, Territory)},
    )


@login_required
def territory_children(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    territory = get_visible(Territory.objects, request.user, pk=pk)
    _form, on = _tree_date(request)
    children = selectors.territory_children(request.user, territory, on)
    return render(
        request, "registry/territory_tree.html#children", {"children": children, "on": on}
    )


@login_required
def territory_list(request: AuthenticatedRequest) -> HttpResponse:
    spec = ListSpec(
        title=_("Territories"),
        columns=[
            Column(_("Name"), lambda t: t.name, link=True),
            Column(_("Type"), lambda t: t.get_kind_display()),
            Column(_("Parent"), lambda t: t.parent),
            Column(_("KATO code"), lambda t: t.kato),
            Column(_("Valid from"), lambda t: t.valid_from),
            Column(_("Valid to"), lambda t: t.valid_to),
        ],
        rows=selectors.territory_list,
        filters=TerritoryFilters,
        export_name="territories",
        add_url=reverse("registry:territory_add") if can_add(request.user, Territory) else None,
    )
    return render_list(request, spec)


@login_required
def territory_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    territory = get_visible(Territory.objects.select_related("parent"), request.user, pk=pk)
    context = {
        "territory": territory,
        "ancestors": list(territory.ancestors()),
        "children": selectors.territory_children(request.user, territory),
        "organizations": list(
            selectors.organization_list(request.user).filter(territory=territory)
        ),
        "appointments": selectors.people_of_territory(request.user, territory),
        "parentage": list(territory.parentage.select_related("parent").order_by("start")),
        "can_add_child": can(request.user, Action.CHANGE, territory),
        **audit_context(request, territory),
    }
    return render(request, "registry/territory_detail.html", context)


def _save_with_move(
    service: Callable[..., Territory | Organization],
    request: AuthenticatedRequest,
    form: TerritoryForm | OrganizationForm,
) -> Territory | Organization:
    """Save a territory or an organization from its form: a change of parent is recorded from
    the date and with the act the form names (MoveFields)."""
    return service(
        form.instance,
        user=request.user,
        moved_on=form.cleaned_data.get("moved_on"),
        act=form.cleaned_data.get("act", ""),
    )


@login_required
def territory_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    territory = object_for_edit(request, Territory, pk, prefill={"parent": Territory.objects})
    form = TerritoryForm(request.POST or None, instance=territory, user=request.user)
    return handle_form(
        request,
        form,
        partial(_save_with_move, services.territory_save, request),
        title=_("Edit territory") if pk else _("New territory"),
        cancel_url=territory.get_absolute_url() if pk else reverse("registry:territory_tree"),
    )


# Organizations


@login_required
def organization_list(request: AuthenticatedRequest) -> HttpResponse:
    spec = ListSpec(
        title=_("Organizations"),
        columns=[
            Column(_("Name"), lambda o: o.name, link=True),
            Column(_("Short name"), lambda o: o.short_name),
            Column(_("Type"), lambda o: o.get_kind_display()),
            Column(_("Territory"), lambda o: o.territory),
            Column(_("Parent organization"), lambda o: o.parent),
        ],
        rows=selectors.organization_list,
        filters=OrganizationFilters,
        export_name="organizations",
        add_url=reverse("registry:organization_add")
        if can_add(request.user, Organization)
        else None,
        # The import is offered to those who may add organizations, as its page checks.
        links=[(_("Import from Excel"), reverse("registry:import", args=["organizations"]))]
        if can_add(request.user, Organization)
        else [],
    )
    return render_list(request, spec)


@login_required
def organization_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    organization = get_visible(
        Organization.objects.select_related("territory", "parent"), request.user, pk=pk
    )
    appointments = selectors.appointments_of_organization(request.user, organization)
    context = {
        "organization": organization,
        "children": list(selectors.organization_list(request.user).filter(parent=organization)),
        "current": [a for a in appointments if a.end is None],
        "past": [a for a in appointments if a.end is not None],
        "posts": selectors.staffing_table(request.user, organization),
        "parentage": list(organization.parentage.select_related("parent").order_by("start")),
        **audit_context(request, organization),
    }
    return render(request, "registry/organization_detail.html", context)


@login_required
def organization_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    organization = object_for_edit(request, Organization, pk)
    form = OrganizationForm(request.POST or None, instance=organization, user=request.user)
    return handle_form(
        request,
        form,
        partial(_save_with_move, services.organization_save, request),
        title=_("Edit organization") if pk else _("New organization"),
        cancel_url=organization.get_absolute_url() if pk else reverse("registry:organization_list"),
    )


# People


class _WithCurrentPosts(Protocol):
    """A person as person_list(with_current_posts=True) reads them."""

    current_appointments: list[Appointment]


def _current_posts(person: _WithCurrentPosts) -> str:
    return "; ".join(
        f"{a.title or a.position}, {a.organization.short_name or a.organization}"
        for a in person.current_appointments
    )


@login_required
def person_list(request: AuthenticatedRequest) -> HttpResponse:
    spec = ListSpec(
        title=_("People"),
        columns=[
            Column(_("Surname, given name, patronymic"), lambda p: p.formal_name, link=True),
            Column(_("Academic degree"), lambda p: p.academic_degree),
            Column(_("Current posts"), _current_posts),
            Column(_("Aliases"), lambda p: ", ".join(p.aliases)),
        ],
        rows=partial(selectors.person_list, with_current_posts=True),
        filters=PersonFilters,
        export_name="people",
        add_url=reverse("registry:person_add") if can_add(request.user, Person) else None,
        links=[(_("Import from Excel"), reverse("registry:import", args=["people"]))]
        if can_add(request.user, Person)
        else [],
    )
    return render_list(request, spec)


@login_required
def person_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_visible(Person.objects.select_related("territory"), request.user, pk=pk)
    appointments = list(
        Appointment.objects.restrict(request.user)
        .filter(person=person)
        .select_related("organization", "position", "post")
        .order_by("-start", "pk")
    )
    context = {
        "person": person,
        "appointments": appointments,
        "can_add_appointment": can_add(request.user, Appointment),
        **audit_context(request, person),
    }
    return render(request, "registry/person_detail.html", context)


@login_required
def person_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    person = object_for_edit(request, Person, pk, territory=request.user.territory)
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    return handle_form(
        request,
        form,
        lambda form: services.person_save(
            form.instance, user=request.user, appointment=form.appointment()
        ),
        title=_("Edit person") if pk else _("New person"),
        cancel_url=person.get_absolute_url() if pk else reverse("registry:person_list"),
    )


# Appointments and staffing


@login_required
def appointment_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    appointment = object_for_edit(
        request,
        Appointment,
        pk,
        prefill={"person": Person.objects, "organization": Organization.objects},
    )
    form = AppointmentForm(request.POST or None, instance=appointment, user=request.user)

    def save(form: AppointmentForm) -> Person:
        return services.appointment_save(form.instance, user=request.user).person

    return handle_form(
        request,
        form,
        save,
        title=_("Edit appointment") if pk else _("New appointment"),
        cancel_url=appointment.person.get_absolute_url()
        if appointment.person_id
        else reverse("registry:person_list"),
    )


@login_required
def staffing(request: AuthenticatedRequest) -> HttpResponse:
    """The staffing table of an organization: the project office's unless one is chosen."""
    offices = selectors.organization_list(request.user).filter(kind=OrganizationKind.PROJECT_OFFICE)
    chosen = request.GET.get("organization")
    organization = (
        get_visible(Organization.objects, request.user, pk=chosen) if chosen else offices.first()
    )
    posts = selectors.staffing_table(request.user, organization) if organization else []
    if organization is not None and request.GET.get(EXPORT) == "xlsx":
        return xlsx_response(
            filename="staffing",
            title=str(_("Staffing table")),
            headers=[str(_("Post")), str(_("Employment")), str(_("Held by"))],
            rows=(
                [
                    str(post),
                    post.get_employment_display(),
                    ", ".join(h.person.formal_name for h in post.holders) or str(_("vacant")),
                ]
                for post in posts
            ),
        )
    filled = sum(1 for post in posts if getattr(post, "holders", None))
    return render(
        request,
        "registry/staffing.html",
        {
            "organization": organization,
            "offices": offices,
            "posts": posts,
            "filled": filled,
            "vacant": len(posts) - filled,
            "can_change": organization is not None
            and can(request.user, Action.CHANGE, organization),
        },
    )


@login_required
def staff_post_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    post = object_for_edit(request, StaffPost, pk, prefill={"organization": Organization.objects})
    form = StaffPostForm(request.POST or None, instance=post, user=request.user)

    def save(form: StaffPostForm) -> Organization:
        return services.staff_post_save(form.instance, user=request.user).organization

    return handle_form(
        request,
        form,
        save,
        title=_("Edit staff post") if pk else _("New staff post"),
        cancel_url=reverse("registry:staffing"),
    )
