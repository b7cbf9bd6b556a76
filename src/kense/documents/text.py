"""The words inside an uploaded file, for the library's search.

DOCX is read with python-docx (paragraphs and table cells). PDF is read with the `pdftotext`
program of poppler-utils when the server has it: no Python dependency is added for it, and a
server without poppler simply keeps the PDF's text empty (its title and description are still
searched). Presentations are not read.

Reading is bounded, since it happens while the user waits: a DOCX whose XML unpacks to more
than KENSE_ZIP_MAX_XML_BYTES is not parsed, pdftotext runs at most
KENSE_TEXT_EXTRACTION_SECONDS and writes at most what MAX_TEXT needs. Such a file is stored all
the same, only not searchable by its text.
"""

from __future__ import annotations

import logging
import resource
import shutil
import subprocess
import tempfile
from typing import Any

from django.conf import settings

from kense.core.files import check_archive, is_xml
from kense.core.models import CONTROL_CHARACTERS

logger = logging.getLogger(__name__)

# Enough for any guideline; a larger extract would only slow every save of the document.
MAX_TEXT = 2_000_000


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

    # python-docx parses every XML part whole, at about 25 times its size in memory.
    check_archive(upload, parsed_whole=is_xml)
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
    with (
        tempfile.NamedTemporaryFile(suffix=".pdf") as source,
        tempfile.TemporaryFile() as output,
    ):
        for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
            source.write(chunk)
        source.flush()
        # A few kilobytes of PDF may unpack into gigabytes of text: the output goes to a file
        # the program may not grow past what is kept (it is stopped by SIGXFSZ), and the
        # program is stopped after the time allowed; the text written by then is kept.
        try:
            subprocess.run(
                [program, "-enc", "UTF-8", "-q", source.name, "-"],
                stdout=output,
                stderr=subprocess.DEVNULL,
                timeout=settings.KENSE_TEXT_EXTRACTION_SECONDS,
                check=False,
                preexec_fn=_limit_output,
            )
        except subprocess.TimeoutExpired:
            logger.warning("pdftotext stopped after %s s.", settings.KENSE_TEXT_EXTRACTION_SECONDS)
        output.seek(0)
        data = output.read(MAX_OUTPUT)
    return data.decode("utf-8", errors="replace")


# UTF-8 takes at most 4 bytes a character.
MAX_OUTPUT = MAX_TEXT * 4


def _limit_output() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_OUTPUT, MAX_OUTPUT))
