"""The ranking and the year's results as maps: each city and district coloured by its score or
an indicator, low performers hatched, a tap explaining why (kense.geo.render draws them)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kense.geo import render
from kense.geo import selectors as geo
from kense.geo.models import Boundary
from kense.indicators.selectors.reports import ReportingRates
from kense.indicators.selectors.results import Ranking, ResultsTable, user_region, year_end
from kense.registry.models import Territory, TerritoryKind
from kense.text.kazakh import format_number

if TYPE_CHECKING:
    from kense.accounts.models import User
    from kense.indicators.models import Indicator


def _outline(
    user: User, region: Territory | None, ids: list[int], day: datetime.date
) -> tuple[dict[int, Boundary], list[render.Area]]:
    """The boundaries of these territories on `day`, and the region's outline under them."""
    boundaries = geo.boundaries_on(user, [*ids, *([region.pk] if region else [])], day)
    outline: list[render.Area] = []
    if region is not None and region.pk in boundaries:
        own = boundaries.pop(region.pk)
        outline.append(
            render.Area(
                key=f"outline-{region.pk}",
                name=region.name,
                coordinates=own.outlines["region"],
                fill="#f7f7f7",
                labelled=False,
            )
        )
    return boundaries, outline


def _number(value: float) -> str:
    return format_number(round(value, 1))


def ranking_picture(
    user: User, ranked: Ranking, *, link: str = "indicators:passport"
) -> render.Picture | None:
    """The ranking as a map, or None when none of its territories has a boundary that year;
    each area links to the page `link` names (the passport, or a place's open page)."""
    ids = [pk for pk in ranked.territories if pk in ranked.visible]
    boundaries, areas = _outline(user, ranked.region, ids, year_end(ranked.year))
    if not boundaries:
        return None
    groups = dict(TerritoryKind.choices)
    sizes = {kind: len(scores) for kind, scores in ranked.result.groups.items()}
    for pk in ids:
        boundary = boundaries.get(pk)
        score = ranked.result.scores.get(pk)
        if boundary is None or score is None:
            continue
        territory = ranked.territories[pk]
        group = str(groups.get(territory.kind, territory.kind))
        if score.score is None:
            value_text = _("no data")
        else:
            value_text = _("%(score)s points, rank %(rank)s of %(count)s (%(group)s)") % {
                "score": _number(score.score),
                "rank": score.rank or "—",
                "count": sizes.get(score.peer_group, 0),
                "group": group.lower(),
            }
        areas.append(
            render.Area(
                key=str(pk),
                name=territory.name,
                coordinates=boundary.outlines["region"],
                value=score.score,
                value_text=value_text,
                explanation=_explanation(ranked, score),
                url=reverse(link, args=[pk]),
                marked=score.low,
                schematic=boundary.schematic,
            )
        )
    picture = render.draw(
        areas,
        title=_("Ranking of cities and districts, %(year)s") % {"year": ranked.year},
        colour_by_value=True,
        value_label=_("Score"),
        marked_label=_("Low results"),
    )
    picture.filename = f"kense-ranking-{ranked.year}"
    return picture


def _explanation(ranked: Ranking, score: object) -> str:
    def name(code: str) -> str:
        indicator = ranked.indicators.get(code)
        return indicator.name if indicator else code

    parts = []
    down = getattr(score, "pulled_down", [])
    up = getattr(score, "pulled_up", [])
    if getattr(score, "low", False):
        parts.append(_("Low results."))
    if down:
        parts.append(
            _("Pulled down by: %(list)s.")
            % {"list": "; ".join(f"{name(c.indicator)} ({_number(c.difference)})" for c in down)}
        )
    if up:
        parts.append(
            _("Pulled up by: %(list)s.")
            % {"list": "; ".join(f"{name(c.indicator)} (+{_number(c.difference)})" for c in up)}
        )
    missing = getattr(score, "missing", [])
    if missing:
        parts.append(
            _("Not counted, no value: %(list)s.") % {"list": ", ".join(name(c) for c in missing)}
        )
    return " ".join(parts)


def results_picture(user: User, table: ResultsTable, indicator: Indicator) -> render.Picture | None:
    """One indicator of the year's results as a map: per cent of the target where there is
    one, the value itself where there is none."""
    ids = [row.territory.pk for row in table.rows]
    boundaries, areas = _outline(user, table.region, ids, year_end(table.year))
    if not boundaries:
        return None
    position = next(
        (index for index, known in enumerate(table.indicators) if known.pk == indicator.pk), None
    )
    if position is None:
        return None
    by_target = any(row.cells[position].target for row in table.rows)
    for row in table.rows:
        boundary = boundaries.get(row.territory.pk)
        if boundary is None:
            continue
        cell = row.cells[position]
        value = (
            cell.percent if by_target else (float(cell.value) if cell.value is not None else None)
        )
        if cell.value is None:
            value_text = _("no data")
        elif cell.target:
            value_text = _("%(value)s of %(target)s, %(percent)s%% of the target") % {
                "value": format_number(cell.value),
                "target": format_number(cell.target),
                "percent": _number(cell.percent or 0),
            }
        else:
            value_text = format_number(cell.value)
        areas.append(
            render.Area(
                key=str(row.territory.pk),
                name=row.territory.name,
                coordinates=boundary.outlines["region"],
                value=value,
                value_text=value_text,
                explanation=_("The number's source: its report.") if cell.url else "",
                url=cell.url or reverse("indicators:passport", args=[row.territory.pk]),
                schematic=boundary.schematic,
            )
        )
    picture = render.draw(
        areas,
        title=_("%(indicator)s, %(year)s") % {"indicator": indicator.name, "year": table.year},
        colour_by_value=True,
        value_label=_("Per cent of the target") if by_target else indicator.name,
    )
    picture.filename = f"kense-results-{table.year}-{indicator.code}"
    return picture


def passport_picture(user: User, territory: Territory) -> render.Picture | None:
    """The territory among its neighbours today (its region's map, the territory filled) with
    its own units drawn inside it where they have boundaries."""
    today = timezone.localdate()
    parent = Territory.objects.filter(pk=territory.parent_id or 0).first()
    around = geo.territory_map(user, parent or territory, today)
    if not around.boundaries and around.own is None:
        return None
    areas = geo.outline_area(around)
    for area in around.areas():
        if area.key == str(territory.pk):
            area.fill = render.SCALE[3]
            area.value_text = _("this passport")
        areas.append(area)
    inside = geo.territory_map(user, territory, today)
    for area in inside.areas():
        area.fill = render.SCALE[1]
        areas.append(area)
    picture = render.draw(areas, title=territory.name, bounds=around.bounds)
    picture.filename = f"kense-passport-{territory.pk}"
    return picture


def rates_picture(user: User, rates: ReportingRates) -> render.Picture | None:
    """Reporting rates as a map: each territory coloured by the share of the reports expected
    of it this year that it submitted."""
    ids = [row.territory.pk for row in rates.rows]
    day = min(timezone.localdate(), year_end(rates.year))
    boundaries, areas = _outline(user, user_region(user), ids, day)
    if not boundaries:
        return None
    for row in rates.rows:
        boundary = boundaries.get(row.territory.pk)
        if boundary is None:
            continue
        counts = row.counts
        expected = counts.expected > 0
        areas.append(
            render.Area(
                key=str(row.territory.pk),
                name=row.territory.name,
                coordinates=boundary.outlines["region"],
                value=counts.percent if expected else None,
                value_text=(
                    _(
                        "%(percent)s%% submitted: %(on_time)s on time, %(late)s late, "
                        "%(missing)s missing"
                    )
                    % {
                        "percent": _number(counts.percent),
                        "on_time": counts.on_time,
                        "late": counts.late,
                        "missing": counts.missing,
                    }
                    if expected
                    else _("no report expected yet")
                ),
                url=reverse("indicators:passport", args=[row.territory.pk]),
                schematic=boundary.schematic,
            )
        )
    picture = render.draw(
        areas,
        title=_("Reporting rates, %(year)s") % {"year": rates.year},
        colour_by_value=True,
        value_label=_("Share of the expected reports submitted, %"),
    )
    picture.filename = f"kense-rates-{rates.year}"
    return picture
