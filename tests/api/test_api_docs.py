"""docs/api.md puts every page action beside the API operation that does the same: every page of
Kense is named there, and every operation it cites exists (so the table cannot go stale when a
page or an operation is added, renamed or removed)."""

from __future__ import annotations

import re
from pathlib import Path

from test_permissions import api_operations, page_urls

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"
QUOTED = re.compile(r"`([^`\s]+)")
OPERATION = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) /api/v1/([^`?\s]*)")


def test_every_page_is_named_beside_the_api() -> None:
    quoted = set(QUOTED.findall(DOCS.read_text(encoding="utf-8")))
    pages, _unnamed = page_urls()
    namespaces = {page.split(":")[0] for page in pages if ":" in page}
    page_like = {name for name in quoted if name.split(":")[0] in namespaces and ":" in name}
    assert sorted(pages - quoted) == []
    assert sorted(page_like - pages) == []


def test_every_operation_the_docs_cite_exists() -> None:
    cited = {(method, path) for method, path in OPERATION.findall(DOCS.read_text(encoding="utf-8"))}
    assert cited, "the docs cite no operation"
    assert sorted(cited - api_operations()) == []
