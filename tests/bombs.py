"""Decompression bombs for the tests: Office files of a few kilobytes that unpack into
megabytes, built from a real workbook or document by enlarging one part."""

from __future__ import annotations

import io
import zipfile

import docx

# A blank row: skipped by an import, so a sheet of millions of them once had to be read to
# its end. Identical rows pack about 1000 times.
BLANK_ROW = b'<row><c t="inlineStr"><is><t> </t></is></c></row>'
PARAGRAPH = "<w:p><w:r><w:t>Кеңес өтті.</w:t></w:r></w:p>".encode()


def enlarged(content: bytes, member: str, before: bytes, insert: bytes) -> bytes:
    """The ZIP `content` with `insert` written into `member` just before `before`."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == member:
                head, found, tail = data.partition(before)
                assert found, f"{before!r} is not in {member}"
                data = head + insert + found + tail
            archive.writestr(item.filename, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def xlsx_bomb(workbook: bytes, rows: bytes = BLANK_ROW * 100_000) -> bytes:
    """The workbook with `rows` (sheet XML) appended to its first sheet's data."""
    return enlarged(workbook, "xl/worksheets/sheet1.xml", b"</sheetData>", rows)


def docx_bomb(paragraphs: bytes = PARAGRAPH * 100_000, *, text: str = "Кеңес өтті") -> bytes:
    """A .docx whose document.xml holds `paragraphs` (XML) after one of `text`."""
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return enlarged(buffer.getvalue(), "word/document.xml", b"<w:sectPr", paragraphs)


def ratio(content: bytes) -> float:
    """How many times the most tightly packed part of `content` is packed."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return max(item.file_size / max(item.compress_size, 1) for item in archive.infolist())
