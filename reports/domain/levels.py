"""The one definition of Ladder's level colours, shared by pages, charts and exports.

Five fixed colours (a red → green diverging scale, colour-blind safe in its
ends) and a grey for "no score". static/ladder/ladder.css carries the same
values as `.level-1` … `.level-5` and `.level-none`; a test keeps them equal.

A framework with more than five levels is drawn with its top levels in the
fifth colour: the scale is fixed so that a colour means the same on every
page, chart and slide.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

# level → (fill, text)
LEVEL_COLOURS: dict[int, tuple[str, str]] = {
    1: ("#d73027", "#fff"),
    2: ("#fc8d59", "#000"),
    3: ("#fee08b", "#000"),
    4: ("#91cf60", "#000"),
    5: ("#1a9850", "#fff"),
}
NO_SCORE_COLOURS: tuple[str, str] = ("#f0f0f0", "#6c757d")
NO_SCORE_LABEL = "no score"
TOP_COLOURED_LEVEL = max(LEVEL_COLOURS)

# A value read from a frame or a template: a number, or None, NaN or pandas' NA for none.
Value = Any


def is_blank(value: Value) -> bool:
    """True for None, NaN and pandas' NA: the "no score" of scoring rule 6."""
    if value is None or value is pd.NA:
        return True
    try:
        return bool(value != value)  # NaN is the one value unequal to itself
    except (TypeError, ValueError):
        return False


def plain_score(value: Value) -> float | None:
    """A score as a float, None where there is none (NaN, NA, None)."""
    return None if is_blank(value) else float(value)


def plain_level(value: Value) -> int | None:
    """A level as an int, None where there is none."""
    return None if is_blank(value) else int(value)


def plain_value(value: Value) -> Value:
    """The value, or None where it is blank (NaN, NA, None): what templates test for."""
    return None if is_blank(value) else value


def _coloured_level(level: Value) -> int | None:
    if is_blank(level):
        return None
    return max(1, min(TOP_COLOURED_LEVEL, int(level)))


def level_fill(level: Value) -> str:
    """The fill colour of a level (#rrggbb), grey when there is no level."""
    coloured = _coloured_level(level)
    return NO_SCORE_COLOURS[0] if coloured is None else LEVEL_COLOURS[coloured][0]


def level_text_colour(level: Value) -> str:
    """The text colour that reads on `level_fill(level)`."""
    coloured = _coloured_level(level)
    return NO_SCORE_COLOURS[1] if coloured is None else LEVEL_COLOURS[coloured][1]


def level_css_class(level: Value) -> str:
    """The CSS class of static/ladder/ladder.css that colours a level."""
    coloured = _coloured_level(level)
    return "level-none" if coloured is None else f"level-{coloured}"


def format_score(value: Value, signed: bool = False) -> str:
    """A score to two decimals, as pages show it; blank (never 0) when there is none."""
    if is_blank(value):
        return ""
    return f"{float(value):+.2f}" if signed else f"{float(value):.2f}"


def level_label(level: Value, names: Mapping[int, str]) -> str:
    """'3 Managed'; blank when there is no level."""
    if is_blank(level):
        return ""
    name = names.get(int(level), "")
    return f"{int(level)} {name}".strip()


def plotly_colorscale(level_count: int = TOP_COLOURED_LEVEL) -> list[list[float | str]]:
    """A discrete plotly colorscale for levels 1…level_count drawn with zmin=0.5, zmax=level_count+0.5.

    Each level owns an equal band of the scale with one flat colour, so a
    colour bar shows one block per level (the legend).
    """
    scale: list[list[float | str]] = []
    for level in range(1, level_count + 1):
        colour = level_fill(level)
        scale.append([(level - 1) / level_count, colour])
        scale.append([level / level_count, colour])
    return scale


def legend(names: Mapping[int, str]) -> list[dict[str, Any]]:
    """The legend entries for a framework's levels, then "no score"."""
    entries = [
        {
            "level": number,
            "label": level_label(number, names),
            "css_class": level_css_class(number),
            "fill": level_fill(number),
            "text": level_text_colour(number),
        }
        for number in sorted(names)
    ]
    entries.append(
        {
            "level": None,
            "label": NO_SCORE_LABEL,
            "css_class": level_css_class(None),
            "fill": level_fill(None),
            "text": level_text_colour(None),
        }
    )
    return entries


def hex_rrggbb(colour: str) -> str:
    """'#fc8d59' → 'FC8D59', '#fff' → 'FFFFFF': the form openpyxl and python-pptx take."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return digits.upper()


def css_rule(name: str, fill: str, text: str) -> str:
    # Bootstrap's table variables as well, so that a level wins over table striping.
    return (
        f".level-{name} {{ --bs-table-bg: {fill}; --bs-table-color: {text}; "
        f"background-color: {fill}; color: {text}; }}"
    )


def css_rules() -> str:
    """The level rules of static/ladder/ladder.css, generated from LEVEL_COLOURS."""
    lines = [css_rule(str(level), *colours) for level, colours in sorted(LEVEL_COLOURS.items())]
    lines.append(css_rule("none", *NO_SCORE_COLOURS))
    return "\n".join(lines)
