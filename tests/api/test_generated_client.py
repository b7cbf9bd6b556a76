"""The OpenAPI document is a contract a generated client can trust (issue 18, item 1).

A client is generated from the document by openapi-python-client, as an integrator would, and
imported; the generator must read every operation and schema without a warning, and the
client must have one function per operation. The seed meeting's story (DOMAIN.md: Karaganda
region, «Рухани жаңғыру», 2020) is then played through that client only: the project office
builds the registry, the program, the meetings and their minutes, turns decisions into
assignments, postpones events for the state of emergency and sends the guideline; a district
coordinator and an institution, each with its own token, report and acknowledge. Every answer
is read by the generated models, so a schema that lies about an answer fails here.

The client's httpx transport calls Django's WSGI application in-process, on the test's
database connection: no server, and pytest-django's transaction is seen.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from django.core.wsgi import get_wsgi_application
from ninja.responses import NinjaJSONEncoder

from kense.api import api

PACKAGE = "kense_client"
# What openapi-python-client prints when it leaves something out or cannot read it.
GENERATOR_COMPLAINTS = ("Warning(s) encountered", "Unable to parse", "Could not", "Cannot parse")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass
class Generated:
    """The client generated from today's document, imported."""

    package: ModuleType
    models: ModuleType
    # operationId -> the module of its functions (sync_detailed, sync, asyncio…)
    operations: dict[str, ModuleType]
    document: dict[str, Any]
    output: str

    def client(self, key: str) -> Any:
        """An AuthenticatedClient whose requests are answered by Django in-process."""
        transport = httpx.WSGITransport(app=get_wsgi_application())  # type: ignore[arg-type]
        return self.package.AuthenticatedClient(
            base_url="http://testserver",
            token=key,
            raise_on_unexpected_status=True,
            httpx_args={"transport": transport},
        )


def _operation_ids(document: dict[str, Any]) -> list[str]:
    return [
        operation["operationId"]
        for methods in document["paths"].values()
        for method, operation in methods.items()
        if method in METHODS
    ]


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    """Generate the client from the document, as `openapi-python-client generate` does on the
    command line, and import it."""
    root = tmp_path_factory.mktemp("generated_client")
    document = api.get_openapi_schema()
    source = root / "openapi.json"
    source.write_text(json.dumps(document, cls=NinjaJSONEncoder), encoding="utf-8")
    # No post hooks: they would run ruff on the generated code, and complain when it is not
    # on PATH; the code is imported, not read.
    config = root / "config.json"
    config.write_text(json.dumps({"post_hooks": [], "package_name_override": PACKAGE}))
    generator = Path(sys.executable).with_name("openapi-python-client")
    command = [str(generator), "generate", "--path", str(source), "--config", str(config)]
    command += ["--output-path", str(root / PACKAGE), "--meta", "none", "--fail-on-warning"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    # --fail-on-warning turns a skipped operation or schema into a non-zero exit; the client
    # is written all the same, so the tests below say what was missed.
    output = f"exit status {run.returncode}\n{run.stdout}{run.stderr}"
    sys.path.insert(0, str(root))
    try:
        package = importlib.import_module(PACKAGE)
        models = importlib.import_module(f"{PACKAGE}.models")
        modules = {
            path.stem: importlib.import_module(f"{PACKAGE}.api.{path.parent.name}.{path.stem}")
            for path in sorted((root / PACKAGE / "api").glob("*/*.py"))
            if path.stem != "__init__"
        }
        yield Generated(package, models, modules, json.loads(source.read_text()), output)
    finally:
        sys.path.remove(str(root))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def test_the_generator_reads_the_whole_document(generated: Generated) -> None:
    complaints = [text for text in GENERATOR_COMPLAINTS if text in generated.output]
    assert complaints == [], generated.output
    assert generated.output.startswith("exit status 0\n"), generated.output


def test_the_client_has_a_function_for_every_operation(generated: Generated) -> None:
    expected = _operation_ids(generated.document)
    assert len(expected) == len(set(expected)), "operationIds repeat"
    assert sorted(generated.operations) == sorted(expected)
    for name, module in generated.operations.items():
        assert callable(getattr(module, "sync_detailed", None)), name
