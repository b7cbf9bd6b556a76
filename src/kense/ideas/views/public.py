"""Residents' idea pages on the open site: no login (an address confirmed by a code, kept in
the session, instead), no JavaScript. Parse, call kense.ideas.public, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kense.accounts.auth import client_address
from kense.core.forms import attach_errors
from kense.ideas import public
from kense.ideas.forms.public import AddressForm, CitizenIdeaForm, CodeForm
from kense.ideas.models import CitizenAddress, CodePurpose, Idea
from kense.registry.models import Territory

# The session remembers the confirmed address (its id), and, between the two steps of the
# code, the address waiting for it and where to go once it is confirmed.
CONFIRMED = "kense_citizen"
PENDING = "kense_citizen_pending"
NEXT = "kense_citizen_next"
PER_PAGE = 20


def _address(request: HttpRequest) -> CitizenAddress | None:
    return public.confirmed_address(request.session.get(CONFIRMED))


def _language() -> str:
    return translation.get_language() or "kk"


def _trail(*places: tuple[Any, str | None]) -> list[dict[str, Any]]:
    return [{"name": name, "url": url} for name, url in places]


def _ideas_place() -> tuple[Any, str]:
    return (_("Residents' ideas"), reverse("public:idea_list"))


def _refused(request: HttpRequest, message: Any, status: int = 429) -> HttpResponse:
    return TemplateResponse(
        request,
        "ideas/public/refused.html",
        {"message": message, "trail_of_places": _trail(_ideas_place())},
        status=status,
    )


def _confirm_first(request: HttpRequest, purpose: str, next_url: str) -> HttpResponse:
    query = urlencode({"purpose": purpose, "next": next_url})
    return redirect(f"{reverse('public:idea_address')}?{query}")


def idea_list(request: HttpRequest) -> HttpResponse:
    """The residents' ideas, of a place (?territory=) or all, newest or most supported first."""
    territory = None
    territory_id = request.GET.get("territory", "")
    if territory_id.isdigit():
        territory = Territory.objects.filter(pk=int(territory_id)).first()
    order = "supported" if request.GET.get("order") == "supported" else "newest"
    ideas = public.public_ideas(territory, order=order)
    page = Paginator(ideas, PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode(
        {key: value for key, value in (("territory", territory_id), ("order", order)) if value}
    )
    trail: list[tuple[Any, str | None]] = [_ideas_place()]
    if territory is not None:
        trail = [
            (territory.name, reverse("public:territory", args=[territory.pk])),
            (_("Residents' ideas"), None),
        ]
    return TemplateResponse(
        request,
        "ideas/public/idea_list.html",
        {
            "page": page,
            "territory": territory,
            "areas": public.idea_areas(),
            "order": order,
            "query": query,
            "trail_of_places": _trail(*trail),
        },
    )


def _public_idea(pk: int) -> Idea:
    idea = public.public_idea(pk)
    if idea is None:
        raise Http404
    return idea


def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _public_idea(pk)
    address = _address(request)
    project = idea.accepted_project
    # The way on from the idea: the trail of the published project it became (kense.public
    # reads every app; imported here, where ideas meet it: docs/architecture.md).
    from kense.public.selectors import project_trail

    trail = (
        project_trail(project, today=timezone.localdate())
        if project is not None and project.is_published
        else []
    )
    return TemplateResponse(
        request,
        "ideas/public/idea_detail.html",
        {
            "idea": idea,
            "project_public": project is not None and project.is_published,
            "trail": trail,
            "supported": public.supported(idea, address),
            "address": address,
            "trail_of_places": _trail(
                _ideas_place(),
                (idea.territory.name, reverse("public:territory", args=[idea.territory.pk])),
                (idea.title, None),
            ),
        },
    )


def idea_photo(request: HttpRequest, pk: int) -> FileResponse:
    idea = _public_idea(pk)
    if not idea.photo:
        raise Http404
    response = FileResponse(idea.photo.open("rb"))
    response["X-Content-Type-Options"] = "nosniff"
    return response


def idea_address(request: HttpRequest) -> HttpResponse:
    """Step 1: the resident's address, to which a code is sent."""
    purpose = request.GET.get("purpose", "")
    if purpose not in CodePurpose.values:
        purpose = CodePurpose.PROPOSE
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            address = public.code_request(
                email=form.cleaned_data["email"],
                language=_language(),
                purpose=purpose,
                client_ip=client_address(request),
            )
        except public.RateLimited as refusal:
            return _refused(request, refusal.message)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            request.session[PENDING] = address.pk
            request.session[NEXT] = next_url
            return redirect("public:idea_code")
    return TemplateResponse(
        request,
        "ideas/public/address.html",
        {
            "form": form,
            "purpose": CodePurpose(purpose).label,
            "trail_of_places": _trail(_ideas_place(), (_("Your e-mail address"), None)),
        },
        status=400 if form.errors else 200,
    )


def idea_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the code from the letter; the address is then remembered in the session."""
    pending = request.session.get(PENDING)
    if not isinstance(pending, int):
        return redirect("public:idea_address")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            address = public.code_confirm(address_id=pending, code=form.cleaned_data["code"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            request.session.cycle_key()  # a new session for the confirmed resident
            request.session[CONFIRMED] = address.pk
            request.session.pop(PENDING, None)
            next_url = request.session.pop(NEXT, "") or reverse("public:idea_new")
            messages.success(request, _("Your address is confirmed."))
            return redirect(next_url)
    return TemplateResponse(
        request,
        "ideas/public/code.html",
        {
            "form": form,
            "trail_of_places": _trail(_ideas_place(), (_("Code from the letter"), None)),
        },
        status=400 if form.errors else 200,
    )


def idea_new(request: HttpRequest) -> HttpResponse:
    """Step 3: the idea, once the address is confirmed."""
    address = _address(request)
    if address is None:
        return _confirm_first(request, CodePurpose.PROPOSE, reverse("public:idea_new"))
    form = CitizenIdeaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            public.citizen_propose(
                address=address,
                title=data["title"],
                text=data["description"],
                territory=data["territory"],
                language=_language(),
                client_ip=client_address(request),
                latitude=data["latitude"],
                longitude=data["longitude"],
                photo=data["photo"],
                keep_photo_place=data["keep_photo_place"],
            )
        except public.RateLimited as refusal:
            return _refused(request, refusal.message)
        except PermissionDenied as refusal:
            return _refused(request, str(refusal) or public.REFUSED_BLOCKED, status=403)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("Thank you: your idea is received. We have sent you a letter.")
            )
            return redirect("public:idea_mine")
    return TemplateResponse(
        request,
        "ideas/public/idea_new.html",
        {
            "form": form,
            "address": address,
            "trail_of_places": _trail(_ideas_place(), (_("Propose an idea"), None)),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def idea_support(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _public_idea(pk)
    address = _address(request)
    if address is None:
        return _confirm_first(
            request, CodePurpose.SUPPORT, reverse("public:idea_detail", args=[pk])
        )
    try:
        public.idea_support(idea=idea, address=address, client_ip=client_address(request))
    except public.RateLimited as refusal:
        return _refused(request, refusal.message)
    except PermissionDenied as refusal:
        return _refused(request, str(refusal) or public.REFUSED_BLOCKED, status=403)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you for your support."))
    return redirect("public:idea_detail", pk=pk)


def idea_mine(request: HttpRequest) -> HttpResponse:
    """The resident's own ideas, to withdraw, and the deletion of their address."""
    address = _address(request)
    if address is None:
        return _confirm_first(request, CodePurpose.MANAGE, reverse("public:idea_mine"))
    return TemplateResponse(
        request,
        "ideas/public/mine.html",
        {
            "address": address,
            "ideas": public.ideas_of(address),
            "trail_of_places": _trail(_ideas_place(), (_("Your ideas"), None)),
        },
    )


@require_POST
def idea_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    address = _address(request)
    if address is None:
        return _confirm_first(request, CodePurpose.MANAGE, reverse("public:idea_mine"))
    idea = public.ideas_of(address).filter(pk=pk).first()
    if idea is None:
        raise Http404
    public.idea_withdraw(idea=idea, address=address)
    messages.success(request, _("Your idea is withdrawn from the open pages."))
    return redirect("public:idea_mine")


@require_POST
def idea_forget(request: HttpRequest) -> HttpResponse:
    address = _address(request)
    if address is None:
        return _confirm_first(request, CodePurpose.MANAGE, reverse("public:idea_mine"))
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the deletion."))
        return redirect("public:idea_mine")
    public.address_forget(address=address)
    request.session.flush()
    messages.success(
        request, _("Your address is deleted, with your supports; your ideas are withdrawn.")
    )
    return redirect("public:idea_list")
