"""Indicator pages: the definitions, their values per city or district and year, the targets
(a territory × year table edited in place) and the "recompute" button. Parse, call, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kense.accounts.auth import AuthenticatedRequest
from kense.accounts.models import User
from kense.core.forms import OUT_OF_SCOPE, attach_errors, handle_form
from kense.core.forms import object_for_edit as edit_object
from kense.core.lists import Column, ListSpec, render_list
from kense.core.permissions import Action, can, can_add, get_visible, require_add
from kense.core.views import audit_context
from kense.indicators.filters import IndicatorFilters
from kense.indicators.forms.definitions import (
    IndicatorForm,
    TargetEntryForm,
    TargetFilter,
)
from kense.indicators.models import Indicator, Source, Target
from kense.indicators.selectors import definitions as definition_selectors
from kense.indicators.services import definitions as definition_services
from kense.registry.models import Territory

# ---------------------------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------------------------


def _yes_no(value: bool) -> Any:
    return _("yes") if value else _("no")


@login_required
def indicator_list(request: AuthenticatedRequest) -> HttpResponse:
    may_edit = can_add(request.user, Indicator)
    # The code is internal (the formulas and methodologies name indicators by it): only who
    # defines indicators sees it, on the page and in the export (nothing re-imports the list).
    code = [Column(_("Code"), lambda i: i.code)] if may_edit else []
    spec = ListSpec(
        title=_("Indicators"),
        columns=[
            *code,
            Column(_("Name"), lambda i: i.name, link=True),
            Column(_("Unit"), lambda i: i.unit),
            Column(_("How it is obtained"), lambda i: i.get_source_display()),
            Column(_("Computed as"), lambda i: i.get_computation_display()),
            Column(_("Program direction"), lambda i: i.direction),
            Column(_("Higher is better"), lambda i: _yes_no(i.higher_is_better)),
        ],
        rows=definition_selectors.indicator_list,
        filters=IndicatorFilters,
        export_name="indicators",
        add_url=reverse("indicators:indicator_add") if may_edit else None,
        links=[(_("Targets"), reverse("indicators:target_list"))],
    )
    return render_list(request, spec)


@login_required
def indicator_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    indicator = get_visible(Indicator.objects.select_related("direction"), request.user, pk=pk)
    years, rows = definition_selectors.value_table(request.user, indicator)
    context = {
        "indicator": indicator,
        "years": years,
        "rows": rows,
        "may_refresh": indicator.source == Source.COMPUTED
        and definition_services.may_refresh(request.user),
        "this_year": timezone.localdate().year,
        **audit_context(request, indicator),
    }
    return render(request, "indicators/indicator_detail.html", context)


@login_required
def indicator_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    indicator = edit_object(request, Indicator, pk, source=Source.COMPUTED)
    form = IndicatorForm(request.POST or None, instance=indicator, user=request.user)
    return handle_form(
        request,
        form,
        lambda form: definition_services.indicator_save(form.instance, user=request.user),
        title=_("Edit indicator") if pk else _("New indicator"),
        cancel_url=indicator.get_absolute_url() if pk else reverse("indicators:indicator_list"),
    )


@require_POST
@login_required
def recompute(request: AuthenticatedRequest) -> HttpResponse:
    """The "recompute" button: the year's computed values, now."""
    back = request.POST.get("next", "")
    if not back or not url_has_allowed_host_and_scheme(
        back, {request.get_host()}, request.is_secure()
    ):
        back = reverse("indicators:indicator_list")
    year = request.POST.get("year", "")
    try:
        count = definition_services.refresh_now(request.user, int(year) if year.isdigit() else 0)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(count)s values recomputed for %(year)s.") % {"count": count, "year": year},
        )
    return redirect(back)


# ---------------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------------


def _target_years(form: TargetFilter) -> list[int]:
    this_year = timezone.localdate().year
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    first = data.get("year_from") or this_year - 1
    last = data.get("year_to") or max(first, this_year + 1)
    if last < first:
        first, last = last, first
    return list(range(first, min(last, first + definition_selectors.MAX_YEARS - 1) + 1))


def _target_cell_context(
    user: User, indicator: Indicator, territory: Territory, year: int, **extra: Any
) -> dict[str, Any]:
    return {
        "indicator": indicator,
        "territory": territory,
        "year": year,
        "target": definition_selectors.target_value(user, indicator, territory, year),
        "editable": can(user, Action.CHANGE, territory),
        **extra,
    }


@login_required
def target_list(request: AuthenticatedRequest) -> HttpResponse:
    """Targets of one indicator: territories × years; each cell is saved in place (HTMX
    answers the cell; without HTMX the page comes back)."""
    user = request.user
    if request.method == "POST":
        require_add(user, Target)
        return _target_save(request)
    form = TargetFilter(request.GET or None, user=user)
    indicator = form.cleaned_data.get("indicator") if form.is_bound and form.is_valid() else None
    if indicator is None:
        indicator = Indicator.objects.restrict(user).first()
    years = _target_years(form)
    rows: list[definition_selectors.Row] = []
    editable: set[int] = set()
    if indicator is not None:
        rows, editable = definition_selectors.target_table(user, indicator, years)
    context = {
        "form": form,
        "indicator": indicator,
        "years": years,
        "rows": [
            (row, row.territory.pk in editable, zip(years, row.cells, strict=True)) for row in rows
        ],
    }
    return render(request, "indicators/target_list.html", context)


def _target_save(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    entry = TargetEntryForm(request.POST, user=user)
    if entry.is_valid():
        data = entry.cleaned_data
        target = Target.objects.restrict(user).filter(
            indicator=data["indicator"], territory=data["territory"], year=data["year"]
        ).first() or Target(
            indicator=data["indicator"], territory=data["territory"], year=data["year"]
        )
        target.value = data["value"]
        try:
            definition_services.target_save(target, user=user)
        except ValidationError as error:
            attach_errors(entry, error)
        except PermissionDenied:
            entry.add_error(None, OUT_OF_SCOPE)
    errors = [str(error) for field_errors in entry.errors.values() for error in field_errors]
    if request.htmx:
        if not {"indicator", "territory", "year"} <= set(entry.cleaned_data):
            return HttpResponse(" ".join(errors), status=400)
        context = _target_cell_context(
            user,
            entry.cleaned_data["indicator"],
            entry.cleaned_data["territory"],
            entry.cleaned_data["year"],
            cell_errors=errors,
            cell_saved=not errors,
            entered=request.POST.get("value", ""),
        )
        return render(request, "indicators/target_list.html#cell", context)
    if errors:
        return render(
            request,
            "indicators/target_error.html",
            {"errors": errors, "back": reverse("indicators:target_list")},
            status=400,
        )
    messages.success(request, _("Target saved."))
    query = urlencode(
        {"indicator": request.POST.get("indicator", ""), "year_from": request.POST.get("year", "")}
    )
    return redirect(f"{reverse('indicators:target_list')}?{query}")
