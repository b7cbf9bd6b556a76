"""Outputs read back as a person sees them: a PDF's text (pdftotext, from poppler-utils) and a
DOCX laid out by LibreOffice (libreoffice-writer-nogui). A test skips, saying which Debian
package is missing, where the tool is not installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def poppler(tool: str) -> str:
    """The path of one of poppler-utils' tools (pdftotext, pdfinfo, pdffonts)."""
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (Debian package poppler-utils)")
    return path


def pdf_text(data: bytes, tmp_path: Path, *options: str, name: str = "out.pdf") -> str:
    """The PDF's text; `options` as pdftotext takes them ("-raw": in the order it is written,
    so a table cell's lines stay together; "-layout": as laid out on the page)."""
    source = tmp_path / name
    source.write_bytes(data)
    return subprocess.run(
        [poppler("pdftotext"), *options, str(source), "-"],
        check=True,
        capture_output=True,
        timeout=120,
        text=True,
    ).stdout


def libreoffice_pdf(docx: bytes, tmp_path: Path) -> bytes:
    """The DOCX as LibreOffice lays it out (what an official opens and prints)."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (Debian package libreoffice-writer-nogui)")
    source = tmp_path / "minutes.docx"
    source.write_bytes(docx)
    subprocess.run(
        [
            office,
            # A profile of its own: a concurrent LibreOffice would otherwise take the conversion.
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return (tmp_path / "minutes.pdf").read_bytes()
