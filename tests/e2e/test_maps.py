"""Maps in a browser (issue 15).

The project office opens the 2019 ranking as a map: Abai and Shet districts are hatched as low
results, and a tap on Shet explains why. It opens the map of Karaganda region on 21 April 2020,
with the Ulytau places inside it, and today's without them. It adds a sacred site by tapping on
the map, and the site is saved where the tap put it.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest

from e2e.conftest import login, screenshot
from kense.geo.models import Boundary
from kense.indicators.models import Methodology
from kense.registry.models import Territory
from kense.sites.models import Site

pytestmark = pytest.mark.e2e

REGION = "Қарағанды облысы"
ULYTAU_PLACES = ("Ұлытау ауданы", "Жезқазған қаласы", "Сәтбаев қаласы", "Қаражал қаласы")


def territory(name: str) -> Territory:
    return Territory.objects.get(name_kk=name)


def area(page: Any, place: Territory) -> Any:
    return page.locator(f"figure.map g.map-area[data-key='{place.pk}']")


def test_the_ranking_as_a_map_marks_the_low_and_explains_them(demo: Any, page: Any) -> None:
    methodology = Methodology.objects.get(year=2019)
    abai, shet, saran = (territory(n) for n in ("Абай ауданы", "Шет ауданы", "Саран қаласы"))
    login(page, "office")
    page.goto(f"/kk/indicators/ranking/?methodology={methodology.pk}")
    for low in (abai, shet):
        # Hatched and outlined: told apart without colour.
        assert area(page, low).locator("path[fill='url(#map-hatch)']").count() == 1
    assert area(page, saran).locator("path[fill='url(#map-hatch)']").count() == 0
    area(page, shet).click()
    info = page.locator("figure.map [data-map-info]")
    explanation = area(page, shet).get_attribute("data-info")
    assert explanation and explanation.startswith("Шет ауданы")
    assert info.inner_text().startswith(explanation)
    assert "(" in explanation, "the indicators that pulled Shet down, with their points"
    # The same explanation is in the map's table, for a screen reader.
    table = page.locator("figure.map details.map-table")
    table.locator("summary").click()
    row = table.locator("tr", has_text="Шет ауданы")
    assert row.locator("strong").count() == 1
    screenshot(page, "map-ranking-2019")
    # Saved as SVG and as PNG, drawn in the page (no request leaves it).
    with page.expect_download() as svg_download:
        page.click("figure.map [data-map-export='svg']")
    svg_file = svg_download.value
    assert svg_file.suggested_filename == "kense-ranking-2019.svg"
    drawing = Path(svg_file.path()).read_text(encoding="utf-8")
    assert drawing.startswith("<svg") and "Шет ауданы" in drawing
    with page.expect_download() as png_download:
        page.click("figure.map [data-map-export='png']")
    png_file = png_download.value
    assert png_file.suggested_filename == "kense-ranking-2019.png"
    assert Path(png_file.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # A tap on a place's link opens its passport.
    info.locator("a").click()
    page.wait_for_url(re.compile(rf"/kk/indicators/passport/{shet.pk}/$"))
    assert page.javascript_errors == []


def test_the_region_on_a_past_day_holds_what_it_held_then(demo: Any, page: Any) -> None:
    region = territory(REGION)
    ulytau_places = [territory(name) for name in ULYTAU_PLACES]
    login(page, "office")
    page.goto(f"/kk/map/?territory={region.pk}&on=2020-04-21")
    for place in ulytau_places:
        assert area(page, place).count() == 1, place.name
    outline = page.locator(f"figure.map g.map-area[data-key='outline-{region.pk}']")
    assert outline.count() == 1
    before = Boundary.objects.on(datetime.date(2020, 4, 21)).get(territory=region)
    screenshot(page, "map-region-2020")
    page.goto(f"/kk/map/?territory={region.pk}")
    for place in ulytau_places:
        assert area(page, place).count() == 0, place.name
    assert area(page, territory("Шет ауданы")).count() == 1
    now = Boundary.objects.on(datetime.date.today()).get(territory=region)
    assert now.pk != before.pk and now.west > before.west, "today's region lost its west"
    screenshot(page, "map-region-today")
    assert page.javascript_errors == []


def test_a_sacred_site_is_placed_by_a_tap_on_the_map(demo: Any, page: Any) -> None:
    login(page, "office")
    page.goto("/kk/sites/add/")
    page.fill("#id_name_kk", "Қызылкеніш ескерткіші")
    page.fill("#id_name_ru", "Памятник Кызылкениш")
    page.select_option("#id_kind", index=1)
    page.select_option("#id_territory", label="Шет ауданы")
    svg = page.locator("figure.map[data-pick] svg.map-svg")
    box = svg.bounding_box()
    assert box is not None
    svg.click(position={"x": box["width"] * 0.55, "y": box["height"] * 0.55})
    latitude = float(page.input_value("#id_latitude"))
    longitude = float(page.input_value("#id_longitude"))
    region = Boundary.objects.filter(territory__name_kk=REGION).order_by("-valid_from").first()
    assert region is not None
    assert region.south <= latitude <= region.north
    assert region.west <= longitude <= region.east
    marker = page.locator("figure.map .map-picked")
    assert float(marker.get_attribute("cx") or -1) > 0
    screenshot(page, "map-site-picked")
    page.locator("form.edit button[type=submit]").click()
    page.wait_for_url(re.compile(r"/kk/sites/\d+/$"))
    site = Site.objects.get(name_kk="Қызылкеніш ескерткіші")
    assert site.latitude == pytest.approx(latitude, abs=1e-5)
    assert site.longitude == pytest.approx(longitude, abs=1e-5)
    # Its page shows it on the map.
    assert page.locator("figure.map g.map-spot").count() == 1
    assert page.javascript_errors == []
