import io, zipfile, re
from openpyxl import load_workbook
from tests.registry.test_imports import *  # noqa

def test_probe(project_office, nura, shet):
    PositionFactory(code="akim", name_kk="Әкім", name_ru="Аким")
    c = as_user(project_office)
    with translation.override("ru"):
        r = c.get(reverse("registry:import", args=["people"]), {"template": 1})
    z = zipfile.ZipFile(io.BytesIO(r.content))
    print(z.namelist())
    xml = z.read("xl/worksheets/sheet1.xml").decode()
    print(re.findall(r"<cols>.*?</cols>", xml)[0][:600])
    print(re.findall(r"<dataValidations.*?</dataValidations>", xml)[0])
    print(z.read("xl/workbook.xml").decode()[-700:])
    wb = load_workbook(io.BytesIO(r.content))
    for row in wb.worksheets[1].iter_rows(values_only=True):
        print(row)
    rows = [organization_row(name_kk="Бір", kind="x", territory="Шет")]
    resp = upload(c, "organizations", workbook_bytes(ORGANIZATION_KEYS, rows))
    html = resp.content.decode()
    print(html[html.index("<main>"):html.index("<section class=\"card\">\n  <h2>")])
