"""The shape of the code, checked (docs/architecture.md): the foundation imports no domain app,
every app is split the same way, and forms live in forms."""

from __future__ import annotations

import ast
from pathlib import Path

import kense

SRC = Path(kense.__file__).parent
APPS = sorted(
    path.name
    for path in SRC.iterdir()
    if path.is_dir() and (path / "apps.py").exists() and path.name not in {"core", "text"}
)


def _modules(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*.py") if "migrations" not in path.parts]


def _imports(folder: Path) -> set[str]:
    imported: set[str] = set()
    for module in _modules(folder):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    return imported


def test_core_imports_no_domain_app_and_text_nothing_of_kense() -> None:
    # Even under TYPE_CHECKING: core is the foundation the apps build on.
    core = {name for name in _imports(SRC / "core") if name.startswith("kense.")}
    assert {name for name in core if name.split(".")[1] not in {"core", "text"}} == set()
    text = {name for name in _imports(SRC / "text") if name.startswith("kense.")}
    assert {name for name in text if not name.startswith("kense.text")} == set()


def test_every_app_has_one_urls_module_and_the_layers_names() -> None:
    # A layer is a module (views.py) or a package of sub-domains (views/events.py), never a
    # file name of its own (plan_views.py, urls_plans.py, disruption_api.py).
    layers = ("views", "api", "urls", "forms", "selectors", "services", "filters")
    odd = []
    for app in ["core", *APPS]:
        for module in (SRC / app).glob("*.py"):
            stem = module.stem
            if stem not in layers and any(
                stem.startswith(f"{layer}_") or stem.endswith(f"_{layer}") for layer in layers
            ):
                odd.append(f"{app}/{module.name}")
    assert odd == []
    assert [app for app in APPS if (SRC / app / "urls").is_dir()] == []


def test_forms_are_declared_in_forms_not_in_views() -> None:
    declared = []
    for app in ["core", *APPS]:
        views = [*(SRC / app).glob("views.py"), *(SRC / app).glob("views/*.py")]
        for module in views:
            for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef) and any(
                    getattr(base, "attr", getattr(base, "id", "")) in {"Form", "ModelForm"}
                    for base in node.bases
                ):
                    declared.append(f"{module.relative_to(SRC)}:{node.name}")
    assert declared == []
