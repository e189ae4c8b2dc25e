"""Checks of an uploaded deck template, shared by the upload form and `export_deck
--template`: size, type, and a zip that python-pptx opens as a presentation with layouts,
bounded before anything is unpacked (a zip bomb is refused by its declared sizes)."""

from __future__ import annotations

import io
import zipfile

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 2_000


class DeckTemplateError(ValueError):
    """str() says what is wrong with the file, for people."""


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_deck_template(content: bytes, *, name: str) -> int:
    """Refuse a template that is too large, not a .pptx, or not a presentation; returns the
    number of its slide layouts."""
    if not name.lower().endswith((".pptx", ".potx")):
        raise DeckTemplateError(
            f"'{name}' is not a .pptx (or .potx) file: upload a PowerPoint template."
        )
    if not content:
        raise DeckTemplateError(f"'{name}' is empty.")
    if len(content) > MAX_TEMPLATE_BYTES:
        raise DeckTemplateError(
            f"'{name}' is {_megabytes(len(content))}; the largest template accepted is "
            f"{_megabytes(MAX_TEMPLATE_BYTES)}."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise DeckTemplateError(
            f"'{name}' is not a PowerPoint file: its content is not a .pptx archive."
        ) from None
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise DeckTemplateError(
            f"'{name}' unpacks to more than {_megabytes(MAX_UNPACKED_BYTES)} "
            f"or {MAX_MEMBERS} parts: not accepted as a template."
        )
    if "ppt/presentation.xml" not in {m.filename for m in members}:
        raise DeckTemplateError(
            f"'{name}' is not a PowerPoint presentation (no ppt/presentation.xml)."
        )
    from pptx import Presentation  # imported here: only uploads need it

    try:
        presentation = Presentation(io.BytesIO(content))
        layouts = len(presentation.slide_layouts)
    except Exception as error:  # python-pptx raises many kinds on a damaged file
        raise DeckTemplateError(
            f"'{name}' could not be opened as a presentation ({type(error).__name__})."
        ) from None
    if layouts == 0:
        raise DeckTemplateError(f"'{name}' has no slide layouts: the deck needs at least one.")
    return layouts
