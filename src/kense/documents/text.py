"""The words inside an uploaded file, for the library's search.

DOCX is read with python-docx (paragraphs and table cells). PDF is read with the `pdftotext`
program of poppler-utils when the server has it: no Python dependency is added for it, and a
server without poppler simply keeps the PDF's text empty (its title and description are still
searched). Presentations are not read.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from typing import Any

from kense.core.models import CONTROL_CHARACTERS

logger = logging.getLogger(__name__)

# Enough for any guideline; a larger extract would only slow every save of the document.
MAX_TEXT = 2_000_000
PDFTOTEXT_TIMEOUT = 60


def extract_text(upload: Any, extension: str) -> str:
    """The text of the file, or "" when it cannot be read (never raises on bad content)."""
    try:
        if extension == "docx":
            text = _docx_text(upload)
        elif extension == "pdf":
            text = _pdf_text(upload)
        else:
            text = ""
    except Exception:  # a damaged file is stored all the same; it is just not searchable
        logger.warning("Could not read the text of %s.", getattr(upload, "name", "?"))
        text = ""
    finally:
        upload.seek(0)
    # pdftotext separates pages by form feeds; no control character is kept (see core.models).
    return CONTROL_CHARACTERS.sub(" ", text[:MAX_TEXT])


def _docx_text(upload: Any) -> str:
    import docx

    upload.seek(0)
    document = docx.Document(upload)
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(part for part in parts if part)


def _pdf_text(upload: Any) -> str:
    program = shutil.which("pdftotext")
    if program is None:
        return ""  # poppler-utils is not installed: the PDF is kept but not searchable
    upload.seek(0)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as source:
        for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
            source.write(chunk)
        source.flush()
        result = subprocess.run(
            [program, "-enc", "UTF-8", "-q", source.name, "-"],
            capture_output=True,
            timeout=PDFTOTEXT_TIMEOUT,
            check=False,
        )
    return result.stdout.decode("utf-8", errors="replace")
