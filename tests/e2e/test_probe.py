import time
from tests.e2e.conftest import login, screenshot
from kense.registry.models import Organization, Territory

def test_probe(demo, page):
    t=time.time()
    login(page, "saran")
    print("login", time.time()-t)
    print(page.url, page.title())
    print(page.locator("header").inner_text())
    page.goto("/kk/registry/territories/")
    screenshot(page, "probe-tree")
    print(page.locator("main").inner_text()[:2000])
    for o in Organization.objects.filter(name_kk__startswith="Теміртау"):
        print(o.pk, o.name_kk, o.kind)
