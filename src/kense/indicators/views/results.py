"""Pages of the annual analysis: the results table, the ranking with its explanations, trends,
small multiples, the territory passport, the methodologies, and the exports for the akim.

Charts are inline SVG whose geometry is computed here and drawn by the templates: no chart
library, nothing fetched, and nothing the CSP would refuse (no inline styles, no scripts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from kense.accounts.auth import AuthenticatedRequest
from kense.core.forms import save_edit
from kense.core.http import HtmxRequest
from kense.core.permissions import Action, can, can_add, get_visible
from kense.core.replica import read_from_replica
from kense.indicators import exports, maps
from kense.indicators.forms.results import MethodologyForm
from kense.indicators.models import Indicator, LowRule, Methodology, Normalization
from kense.indicators.selectors import results as result_selectors
from kense.indicators.services import methodologies as methodology_services
from kense.registry.models import Territory

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22")
LOW_COLOR = "#c0392b"
BAR_COLOR = "#2e86c1"


def _year(request: HttpRequest, years: list[int]) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return years[0] if years else timezone.localdate().year - 1


def _template(request: HtmxRequest, name: str) -> str:
    return f"{name}#results" if request.htmx else name


# ---------------------------------------------------------------------------------------------
# The results table and its exports
# ---------------------------------------------------------------------------------------------


@login_required
@read_from_replica
def results_page(request: AuthenticatedRequest) -> HttpResponse:
    """Each city and district × each indicator for a year, every cell leading to its source."""
    years = result_selectors.value_years()
    year = _year(request, years)
    table = result_selectors.results_table(request.user, year)
    mapped = _mapped_indicator(request, table.indicators)
    context = {
        "table": table,
        "year": year,
        "years": years or [year],
        "mapped": mapped,
        "picture": maps.results_picture(request.user, table, mapped) if mapped else None,
    }
    return render(request, _template(request, "indicators/results.html"), context)


def _mapped_indicator(request: HttpRequest, indicators: list[Indicator]) -> Indicator | None:
    """The indicator the results map shows: the one asked for, else the first."""
    wanted = request.GET.get("indicator", "")
    chosen = next((i for i in indicators if str(i.pk) == wanted), None)
    return chosen or (indicators[0] if indicators else None)


@login_required
@read_from_replica
def results_pdf(request: AuthenticatedRequest) -> HttpResponse:
    years = result_selectors.value_years()
    year = _year(request, years)
    return exports.results_pdf_download(request.user, year)


@login_required
@read_from_replica
def results_xlsx(request: AuthenticatedRequest) -> HttpResponse:
    years = result_selectors.value_years()
    year = _year(request, years)
    return exports.results_xlsx(result_selectors.results_table(request.user, year))


# ---------------------------------------------------------------------------------------------
# The ranking
# ---------------------------------------------------------------------------------------------


@dataclass
class Bar:
    name: str
    url: str
    rank: int | None
    score: float | None
    low: bool
    y: int
    width: float
    color: str


def league_bars(scores: list[Any], territories: dict[int, Territory]) -> tuple[list[Bar], int]:
    """Horizontal bars 380 px long at 150 (the cap of per cent of the target), 24 px a row."""
    bars = []
    for index, score in enumerate(scores):
        territory = territories[score.territory]
        width = 0.0 if score.score is None else round(min(score.score, 150) / 150 * 380, 1)
        bars.append(
            Bar(
                territory.name,
                f"{territory.pk}",
                score.rank,
                score.score,
                score.low,
                index * 24,
                width,
                LOW_COLOR if score.low else BAR_COLOR,
            )
        )
    return bars, max(24, 24 * len(bars))


def explained(ranked: result_selectors.Ranking, scores: list[Any]) -> list[dict[str, Any]]:
    """Rows of the explanation table, with names in place of ids and codes."""

    def name(code: str) -> str:
        indicator = ranked.indicators.get(code)
        return indicator.name if indicator else code

    return [
        {
            "score": score,
            "territory": ranked.territories[score.territory],
            "down": [(name(c.indicator), c.difference) for c in score.pulled_down],
            "up": [(name(c.indicator), c.difference) for c in score.pulled_up],
            "missing": [name(code) for code in score.missing],
            "skipped": [name(code) for code in score.skipped],
        }
        for score in scores
    ]


@login_required
@read_from_replica
def ranking_page(request: AuthenticatedRequest) -> HttpResponse:
    """League tables per peer group by a methodology and year, low performers flagged, and for
    each territory the indicators that pulled it up or down."""
    methodologies = list(Methodology.objects.restrict(request.user).order_by("-year", "name"))
    chosen = None
    try:
        wanted = int(request.GET.get("methodology", ""))
        chosen = next((m for m in methodologies if m.pk == wanted), None)
    except ValueError:
        pass
    chosen = chosen or (methodologies[0] if methodologies else None)
    years = result_selectors.value_years()
    year = _year(request, years) if "year" in request.GET or not chosen else chosen.year
    context: dict[str, Any] = {
        "methodologies": methodologies,
        "methodology": chosen,
        "year": year,
        "years": years or [year],
    }
    if chosen is not None:
        ranked = result_selectors.ranking(request.user, chosen, year)
        context["ranking"] = ranked
        context["groups"] = [
            (label, explained(ranked, scores), *league_bars(scores, ranked.territories))
            for label, scores in ranked.groups()
        ]
        context["picture"] = maps.ranking_picture(request.user, ranked)
    return render(request, _template(request, "indicators/ranking.html"), context)


# ---------------------------------------------------------------------------------------------
# Trends and small multiples
# ---------------------------------------------------------------------------------------------


def _chart_indicator(request: AuthenticatedRequest) -> tuple[list[Indicator], Indicator | None]:
    indicators = list(Indicator.objects.restrict(request.user).order_by("order", "code"))
    try:
        wanted = int(request.GET.get("indicator", ""))
        return indicators, next((i for i in indicators if i.pk == wanted), indicators[0])
    except (ValueError, IndexError):
        return indicators, indicators[0] if indicators else None


def _lines(
    series: list[tuple[Territory, list[float | None]]], width: int, height: int, pad: int
) -> tuple[list[dict[str, Any]], float]:
    """Polylines for each series on a shared scale from 0 to the largest value.

    A year without a value is a gap: the line stops before it and starts again after it (one
    polyline per unbroken run, "segments"), never dropping to 0 nor joining across the gap.
    """
    top = max([v for _t, points in series for v in points if v is not None] + [1.0])
    count = max(1, max((len(points) for _t, points in series), default=1) - 1)
    lines = []
    for index, (territory, points) in enumerate(series):
        coords: list[tuple[float, float, float]] = []
        runs: list[list[tuple[float, float, float]]] = [[]]
        for step, value in enumerate(points):
            if value is None:
                if runs[-1]:
                    runs.append([])
                continue
            x = pad + (width - 2 * pad) * step / count
            y = height - pad - (height - 2 * pad) * value / top
            coords.append((round(x, 1), round(y, 1), value))
            runs[-1].append(coords[-1])
        lines.append(
            {
                "territory": territory,
                "color": PALETTE[index % len(PALETTE)],
                "segments": [" ".join(f"{x},{y}" for x, y, _v in run) for run in runs if run],
                "dots": coords,
                "last": points[-1] if points else None,
            }
        )
    return lines, top


def _trend_years(request: HttpRequest) -> list[int]:
    years = sorted(result_selectors.value_years())
    return years[-10:] if years else [timezone.localdate().year - 1]


def _trend_context(
    request: AuthenticatedRequest, width: int, height: int, pad: int
) -> dict[str, Any]:
    """What both trend charts show: the indicator chosen and the others, the years and, for the
    indicator, a line per city and district on a chart of this size."""
    indicators, indicator = _chart_indicator(request)
    years = _trend_years(request)
    context: dict[str, Any] = {"indicators": indicators, "indicator": indicator, "years": years}
    if indicator is not None:
        data = result_selectors.trends(request.user, indicator, years)
        context["lines"], context["top"] = _lines(data.series, width, height, pad)
    return context


@login_required
def trends_page(request: AuthenticatedRequest) -> HttpResponse:
    """One indicator by year for every city and district, as lines on one chart."""
    context = _trend_context(request, 640, 320, 40)
    if context["indicator"] is not None:
        years = context["years"]
        count = max(1, len(years) - 1)
        context["axis"] = [(round(40 + 560 * i / count, 1), year) for i, year in enumerate(years)]
    return render(request, _template(request, "indicators/trends.html"), context)


@login_required
def small_multiples(request: AuthenticatedRequest) -> HttpResponse:
    """The same indicator as a small chart per territory, on a shared scale."""
    context = _trend_context(request, 180, 70, 6)
    return render(request, _template(request, "indicators/results_multiples.html"), context)


# ---------------------------------------------------------------------------------------------
# The passport
# ---------------------------------------------------------------------------------------------


@login_required
@read_from_replica
def passport_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One city or district over the years: indicators, plan against fact, discipline, events
    and its rank."""
    territory = get_visible(Territory.objects.all(), request.user, pk=pk)
    data = result_selectors.passport(request.user, territory)
    ranked = [y for y in data.years if y.rank is not None]
    peers = max([y.peers for y in ranked] + [1])
    count = max(1, len(ranked) - 1)
    rank_points = [
        (
            round(30 + 340 * i / count, 1),
            round(10 + 100 * ((y.rank or 1) - 1) / max(1, peers - 1), 1),
            y,
        )
        for i, y in enumerate(ranked)
    ]
    context = {
        "passport": data,
        "territory": territory,
        "rank_points": rank_points,
        "rank_line": " ".join(f"{x},{y}" for x, y, _entry in rank_points),
        "peers": peers,
        "picture": maps.passport_picture(request.user, territory),
    }
    return render(request, "indicators/passport.html", context)


# ---------------------------------------------------------------------------------------------
# Methodologies
# ---------------------------------------------------------------------------------------------


@login_required
def methodology_list(request: AuthenticatedRequest) -> HttpResponse:
    methodologies = Methodology.objects.restrict(request.user).order_by("-year", "name", "-version")
    context = {"methodologies": methodologies, "may_add": can_add(request.user, Methodology)}
    return render(request, "indicators/methodology_list.html", context)


@login_required
def methodology_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    methodology = get_visible(Methodology.objects.all(), request.user, pk=pk)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=list(methodology.weights))}
    weights = [
        (indicators.get(code), code, weight) for code, weight in sorted(methodology.weights.items())
    ]
    context = {
        "methodology": methodology,
        "weights": weights,
        "used": methodology_services.methodology_is_used(methodology),
        "may_change": can(request.user, Action.CHANGE, methodology),
    }
    return render(request, "indicators/methodology_detail.html", context)


@login_required
def methodology_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        if not can_add(request.user, Methodology):
            raise PermissionDenied
        methodology = Methodology(normalization=Normalization.PERCENT_OF_TARGET)
        methodology.low_rule = LowRule.BOTTOM_QUARTILE
    else:
        methodology = get_visible(Methodology.objects.all(), request.user, pk=pk)
        if not can(request.user, Action.CHANGE, methodology):
            raise PermissionDenied
    indicators = list(Indicator.objects.restrict(request.user).order_by("order", "code"))
    form = MethodologyForm(request.POST or None, instance=methodology, indicators=indicators)
    saved, conflict = save_edit(
        request,
        form,
        lambda form: methodology_services.methodology_save(form.instance, user=request.user),
    )
    if saved is not None:
        return redirect(saved.get_absolute_url())
    context = {
        "form": form,
        "conflict": conflict,
        "methodology": methodology if pk else None,
        "used": bool(pk) and methodology_services.methodology_is_used(methodology),
    }
    status = 409 if conflict is not None else 400 if form.errors else 200
    return render(request, "indicators/methodology_form.html", context, status=status)
