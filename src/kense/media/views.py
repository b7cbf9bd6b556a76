"""Media pages: parse, call a selector or a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kense.accounts.auth import AuthenticatedRequest
from kense.core.forms import OUT_OF_SCOPE, attach_errors, handle_form, object_for_edit
from kense.core.lists import Column, ListSpec, render_list
from kense.core.permissions import can_add, get_visible
from kense.core.views import audit_context
from kense.media import ingest, selectors, services
from kense.media.filters import PublicationFilters, outlets
from kense.media.forms import ConfirmForm, IngestForm, PublicationForm
from kense.media.models import Publication
from kense.programs.models import Direction, Program, Project
from kense.registry.models import Organization, OrganizationKind, Person, Territory

# A suggestion's kind → the publication's link field and what the user may see of it.
LINK_FIELDS: dict[str, tuple[str, Any]] = {
    "person": ("people", Person),
    "organization": ("organizations", Organization),
    "territory": ("territories", Territory),
    "program": ("programs", Program),
    "direction": ("directions", Direction),
    "project": ("projects", Project),
}


def _links(publication: Any) -> list[tuple[Any, list[Any]]]:
    return [
        (_("People"), list(publication.people.all())),
        (_("Organizations"), list(publication.organizations.all())),
        (_("Territories"), list(publication.territories.all())),
        (_("Programs"), list(publication.programs.all())),
        (_("Directions"), list(publication.directions.all())),
        (_("Special projects"), list(publication.projects.all())),
        (_("Events"), list(publication.events.all())),
        (_("Meetings"), list(publication.meetings.all())),
    ]


@login_required
def publication_list(request: AuthenticatedRequest) -> HttpResponse:
    spec = ListSpec(
        title=_("Publications"),
        columns=[
            Column(_("Title"), lambda p: p.title, link=True),
            Column(_("Outlet"), lambda p: p.outlet),
            Column(_("Date"), lambda p: p.date),
            Column(_("Kind"), lambda p: p.get_kind_display()),
            Column(_("Language"), lambda p: p.get_language_display()),
            Column(_("Reach (views)"), lambda p: p.reach, numeric=True),
        ],
        rows=selectors.publication_list,
        filters=PublicationFilters,
        export_name="publications",
        add_url=reverse("media:publication_add") if can_add(request.user, Publication) else None,
        links=(
            [(_("Ingest an article"), reverse("media:ingest"))]
            if can_add(request.user, Publication)
            else []
        ),
    )
    return render_list(request, spec)


@login_required
def publication_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    publication = get_visible(selectors.publication_detail_queryset(), request.user, pk=pk)
    context = {
        "publication": publication,
        "links": _links(publication),
        **audit_context(request, publication),
    }
    return render(request, "media/publication_detail.html", context)


@login_required
def publication_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    publication = object_for_edit(request, Publication, pk)
    form = PublicationForm(request.POST or None, instance=publication, user=request.user)
    link_names = ["territories", "people", "organizations", "programs", "directions", "projects"]
    link_names += ["events", "meetings"]
    return handle_form(
        request,
        form,
        lambda form: services.publication_save(
            form.instance,
            user=request.user,
            links={name: form.cleaned_data[name] for name in link_names},
        ),
        title=_("Edit publication") if pk else _("New publication"),
        cancel_url=publication.get_absolute_url() if pk else reverse("media:publication_list"),
    )


def _require_add(request: AuthenticatedRequest) -> None:
    if not can_add(request.user, Publication):
        raise PermissionDenied


def _confirm_form(
    request: AuthenticatedRequest, article: ingest.Article, **kwargs: Any
) -> ConfirmForm:
    links = [(suggestion.key, suggestion.label) for suggestion in article.suggestions]
    links += [(option.key, option.label) for choice in article.choices for option in choice.options]
    aliases = [(variant.key, variant.seen) for variant in article.variants]
    return ConfirmForm(user=request.user, links=links, aliases=aliases, **kwargs)


def _review(
    request: HttpRequest, article: ingest.Article, form: ConfirmForm, status: int = 200
) -> HttpResponse:
    chosen_links = set(form["links"].value() or [])
    chosen_aliases = set(form["aliases"].value() or [])
    context = {
        "article": article,
        "highlighted": ingest.highlight(article.text, article.matches),
        "form": form,
        "suggestions": [(s, s.key in chosen_links) for s in article.suggestions],
        "choices": [
            (choice, [(option, option.key in chosen_links) for option in choice.options])
            for choice in article.choices
        ],
        "variants": [(v, v.key in chosen_aliases) for v in article.variants],
    }
    return render(request, "media/review.html", context, status=status)


@login_required
def ingest_article(request: AuthenticatedRequest) -> HttpResponse:
    """Read an article (pasted, uploaded or a saved page) and show what Kense found in it."""
    _require_add(request)
    form = IngestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            article = ingest.read_article(
                text=form.cleaned_data["text"],
                html=form.cleaned_data["html"],
                upload=form.cleaned_data["file"],
                user=request.user,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            outlet = _suggested_outlet(request, article)
            confirm = _confirm_form(
                request,
                article,
                initial={
                    "text": article.text,
                    "title": article.title,
                    "date": article.date,
                    "reach": article.views,
                    "language": ingest.guess_language(article.text),
                    "kind": "article",
                    "outlet": outlet,
                    # Each close call starts on its likeliest option; the reader may change it.
                    "links": [
                        *(suggestion.key for suggestion in article.suggestions),
                        *(choice.options[0].key for choice in article.choices),
                    ],
                },
            )
            return _review(request, article, confirm)
    status = 400 if form.errors else 200
    return render(request, "media/ingest.html", {"form": form}, status=status)


def _suggested_outlet(request: AuthenticatedRequest, article: ingest.Article) -> int | None:
    found = [s.pk for s in article.suggestions if s.kind == "organization"]
    if not found:
        return None
    media = outlets(request.user).filter(pk__in=found, kind=OrganizationKind.MEDIA)
    return media.values_list("pk", flat=True).first()


@login_required
@require_POST
def ingest_confirm(request: AuthenticatedRequest) -> HttpResponse:
    """Create the publication with the links and aliases the user confirmed."""
    _require_add(request)
    try:
        article = ingest.reviewed_article(request.POST.get("text", ""), request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("media:ingest")
    form = _confirm_form(request, article, data=request.POST)
    if form.is_valid():
        data = form.cleaned_data
        publication = Publication(
            outlet=data["outlet"],
            title=data["title"],
            url=data["url"],
            date=data["date"],
            language=data["language"],
            kind=data["kind"],
            reach=data["reach"],
            text=article.text,
        )
        try:
            links = _chosen_links(request, data["links"])
            saved = services.publication_ingest_confirm(
                publication,
                user=request.user,
                links=links,
                aliases=_chosen_aliases(data["aliases"]),
                choices=ingest.chosen(article, data["links"]),
                territory=ingest.choice_territory(request.user, links["territories"]),
            )
        except ValidationError as error:
            attach_errors(form, error)
        except PermissionDenied:
            form.add_error(None, OUT_OF_SCOPE)
        else:
            messages.success(request, _("The publication is saved with its links."))
            return redirect(saved.get_absolute_url())
    return _review(request, article, form, status=400)


def _chosen_links(request: AuthenticatedRequest, keys: list[str]) -> dict[str, list[Any]]:
    """The confirmed links as visible objects, by link field (one query per kind)."""
    wanted: dict[str, list[int]] = {kind: [] for kind in LINK_FIELDS}
    for key in keys:
        kind, _sep, pk = key.partition(":")
        wanted[kind].append(int(pk))
    links: dict[str, list[Any]] = {}
    for kind, (name, model) in LINK_FIELDS.items():
        pks = wanted[kind]
        links[name] = list(model.objects.restrict(request.user).filter(pk__in=pks)) if pks else []
    return links


def _chosen_aliases(keys: list[str]) -> list[tuple[str, int, str]]:
    aliases = []
    for key in keys:
        kind, pk, spelling = key.split(":", 2)
        aliases.append((kind, int(pk), spelling))
    return aliases
