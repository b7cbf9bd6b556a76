import time
from tests.e2e.conftest import login, screenshot
from kense.registry.models import Organization, Territory

def test_probe(demo, page):
    login(page, "saran")
    page.goto("/kk/programs/projects/add/")
    for sel in page.locator("form.edit select").all():
        print(sel.get_attribute("name"), sel.locator("option").all_inner_texts()[:8])
    print(page.locator("form.edit").inner_text())
    screenshot(page, "probe-form")
    page.goto("/kk/registry/organizations/59/")
    print(page.title(), page.locator("body").inner_text()[:500])
    screenshot(page, "probe-404")
    page.goto("/kk/registry/people/")
    print(page.locator("main").inner_text()[:1500])
    page.goto("/kk/registry/territories/")
    page.click("h2 a")
    print(page.url, page.locator("main").inner_text()[:3000])
