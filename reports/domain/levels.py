"""The one definition of Ladder's level colours, shared by pages, charts, images, deck and
workbook.

The palette rule (docs/deliverables.md, "Colours"): a framework's levels, in order,
take evenly spaced colours of ONE ordered scale — dark red, orange, yellow, light blue,
dark blue (ColorBrewer's colour-blind-safe RdYlBu, without its near-white middle) —
interpolated in CIELAB. The lowest level is always the first colour and the top level
always the last, whatever the number of levels or the number of the first (0 or 1).
The default five-level framework gets exactly the five anchors. Each fill carries the
text colour (black or white) with the higher contrast, always ≥ 4.5:1 (WCAG AA).

tests/test_palette.py simulates deuteranopia, protanopia and tritanopia and checks, for
3, 5 and 7 levels (and every count from 2 to 8), that adjacent levels differ by ΔE*ab
≥ 15 and every text/fill pair reaches 4.5:1. Beyond 8 levels neighbours get closer.

CSS: static/ladder/levels.css holds `css_rules()` (classes `level-R-of-N` for rank R of
N levels, N from 1 to MAX_CSS_LEVELS, and `level-none`); `python -m reports.domain.levels`
writes it and a test keeps the file equal to this module.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from assessments.domain.aggregation import level_of  # rule 3: the level a score gives

# The ordered scale, lowest level first: its anchors are the default framework's colours.
SCALE_ANCHORS: tuple[str, ...] = ("#a50026", "#f46d43", "#fee090", "#74add1", "#313695")
NO_SCORE_COLOURS: tuple[str, str] = ("#f0f0f0", "#555555")  # (fill, text)
NO_SCORE_LABEL = "no score"
DEFAULT_LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5)
MAX_CSS_LEVELS = 12  # frameworks with up to this many levels get CSS classes
BLACK, WHITE = "#000000", "#ffffff"
# "2 · 3.04*": the level is below what the mean score suggests (a weaker dimension holds it)
HELD_MARK = "*"
HELD_EXPLANATION = "* a weaker dimension holds the capability below its mean score"

# A value read from a frame or a template: a number, or None, NaN or pandas' NA for none.
Value = Any


# --- blank values --------------------------------------------------------------------------


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


# --- colour arithmetic (sRGB ↔ CIELAB, D65), pure Python ----------------------------------

_WHITE_POINT = (95.047, 100.0, 108.883)
_RGB_TO_XYZ = (
    (0.4124, 0.3576, 0.1805),
    (0.2126, 0.7152, 0.0722),
    (0.0193, 0.1192, 0.9505),
)
_XYZ_TO_RGB = (
    (3.2406, -1.5372, -0.4986),
    (-0.9689, 1.8758, 0.0415),
    (0.0557, -0.2040, 1.0570),
)


def hex_rrggbb(colour: str) -> str:
    """'#fc8d59' → 'FC8D59', '#fff' → 'FFFFFF': the form openpyxl and python-pptx take."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return digits.upper()


def _rgb(colour: str) -> tuple[float, float, float]:
    digits = hex_rrggbb(colour)
    red, green, blue = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return red, green, blue


def _hex(rgb: Iterable[float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else float(((channel + 0.055) / 1.055) ** 2.4)


def _gamma(channel: float) -> float:
    if channel <= 0.0031308:
        return 12.92 * channel
    return 1.055 * float(channel ** (1 / 2.4)) - 0.055


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of an sRGB colour."""
    red, green, blue = (_linear(c) for c in _rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2's contrast ratio, from 1 to 21."""
    darker, lighter = sorted((relative_luminance(first), relative_luminance(second)))
    return (lighter + 0.05) / (darker + 0.05)


def _lab(colour: str) -> tuple[float, float, float]:
    linear = [_linear(c) * 100 for c in _rgb(colour)]
    xyz = [sum(m * c for m, c in zip(row, linear, strict=True)) for row in _RGB_TO_XYZ]

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = (f(v / w) for v, w in zip(xyz, _WHITE_POINT, strict=True))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _from_lab(lab: Sequence[float]) -> str:
    lightness, a, b = lab
    fy = (lightness + 16) / 116
    fx, fz = fy + a / 500, fy - b / 200

    def f_inverse(t: float) -> float:
        return t**3 if t > 6 / 29 else 3 * (6 / 29) ** 2 * (t - 4 / 29)

    xyz = [w * f_inverse(t) / 100 for t, w in zip((fx, fy, fz), _WHITE_POINT, strict=True)]
    linear = [sum(m * c for m, c in zip(row, xyz, strict=True)) for row in _XYZ_TO_RGB]
    return _hex(_gamma(max(0.0, min(1.0, c))) for c in linear)


def scale_colour(position: float) -> str:
    """The scale's colour at `position` from 0 (lowest) to 1 (top), interpolated in CIELAB
    between the anchors; the anchors themselves exactly."""
    position = max(0.0, min(1.0, position))
    steps = len(SCALE_ANCHORS) - 1
    where = position * steps
    index = min(int(math.floor(where + 1e-9)), steps - 1)
    fraction = where - index
    if abs(fraction) < 1e-9:
        return SCALE_ANCHORS[index]
    if abs(fraction - 1) < 1e-9:
        return SCALE_ANCHORS[index + 1]
    start, end = _lab(SCALE_ANCHORS[index]), _lab(SCALE_ANCHORS[index + 1])
    return _from_lab([s + (e - s) * fraction for s, e in zip(start, end, strict=True)])


def text_colour_on(fill: str) -> str:
    """Black or white, whichever contrasts more with the fill (never below 4.58:1)."""
    return BLACK if contrast_ratio(fill, BLACK) >= contrast_ratio(fill, WHITE) else WHITE


# --- a framework's palette ----------------------------------------------------------------


@dataclass(frozen=True)
class LevelColour:
    level: int
    rank: int  # 1 = the lowest level
    fill: str  # #rrggbb
    text: str  # #rrggbb, ≥ 4.5:1 on fill
    css_class: str


def _level_numbers(levels: Iterable[int] | Mapping[int, str] | None) -> tuple[int, ...]:
    numbers = tuple(sorted({int(n) for n in (levels if levels is not None else DEFAULT_LEVELS)}))
    return numbers or DEFAULT_LEVELS


def css_class_for(rank: int, count: int) -> str:
    return f"level-{rank}-of-{count}"


def level_palette(levels: Iterable[int] | Mapping[int, str] | None = None) -> list[LevelColour]:
    """A framework's levels (numbers, or {number: name}) in order, each with its colours:
    evenly spaced on the scale, lowest first colour, top the top colour."""
    return list(_palette(_level_numbers(levels)))


@functools.lru_cache(maxsize=64)
def _palette(numbers: tuple[int, ...]) -> tuple[LevelColour, ...]:
    """Computed once per set of level numbers: a deck asks for thousands of cells' colours."""
    count = len(numbers)
    palette = []
    for rank, number in enumerate(numbers, start=1):
        fill = scale_colour((rank - 1) / (count - 1)) if count > 1 else SCALE_ANCHORS[-1]
        palette.append(
            LevelColour(number, rank, fill, text_colour_on(fill), css_class_for(rank, count))
        )
    return tuple(palette)


def _colour_of(
    level: Value, levels: Iterable[int] | Mapping[int, str] | None
) -> LevelColour | None:
    if is_blank(level):
        return None
    by_number, lowest, highest = _colours_by_number(
        DEFAULT_LEVELS if levels is None else tuple(levels)
    )
    number = int(level)
    # A level outside the framework's (a stale score) takes the nearest end's colour.
    if number <= lowest.level:
        return lowest
    if number >= highest.level:
        return highest
    found = by_number.get(number)
    if found is not None:
        return found
    return next(c for c in _palette(_level_numbers(by_number)) if c.level >= number)


@functools.lru_cache(maxsize=64)
def _colours_by_number(
    levels: tuple[int, ...],
) -> tuple[dict[int, LevelColour], LevelColour, LevelColour]:
    """The palette of these level numbers (in any order) by number, its lowest and its top:
    a page of 500 units asks for the colour of thousands of cells, each in a dict look-up
    rather than by sorting the framework's levels again."""
    palette = _palette(_level_numbers(levels))
    return {colour.level: colour for colour in palette}, palette[0], palette[-1]


def level_fill(level: Value, levels: Iterable[int] | Mapping[int, str] | None = None) -> str:
    """The fill colour of a level (#rrggbb) among the framework's levels (default 1–5), grey
    when there is no level."""
    colour = _colour_of(level, levels)
    return NO_SCORE_COLOURS[0] if colour is None else colour.fill


def level_text_colour(level: Value, levels: Iterable[int] | Mapping[int, str] | None = None) -> str:
    """The text colour that reads on `level_fill(level, levels)`."""
    colour = _colour_of(level, levels)
    return NO_SCORE_COLOURS[1] if colour is None else colour.text


def level_css_class(level: Value, levels: Iterable[int] | Mapping[int, str] | None = None) -> str:
    """The CSS class of static/ladder/levels.css that colours a level."""
    colour = _colour_of(level, levels)
    return "level-none" if colour is None else colour.css_class


# --- what a cell says ---------------------------------------------------------------------


def format_score(value: Value, signed: bool = False) -> str:
    """A score to two decimals, as pages show it; blank (never 0) when there is none."""
    if is_blank(value):
        return ""
    return f"{float(value):+.2f}" if signed else f"{float(value):.2f}"


def held_below(level: Value, score: Value) -> bool:
    """True when the level is below what the score alone would give (a capability whose
    weaker dimension holds it below its mean): the cell gets HELD_MARK."""
    if is_blank(level) or is_blank(score):
        return False
    return int(level) < level_of(float(score))


def level_and_score(level: Value, score: Value) -> str:
    """What a coloured cell shows: its level (the colour) and its score, '2 · 3.04', with
    HELD_MARK where a weaker dimension holds the level below the mean; blank for none."""
    if is_blank(score) and is_blank(level):
        return ""
    if is_blank(level):
        return format_score(score)
    if is_blank(score):
        return str(int(level))
    mark = HELD_MARK if held_below(level, score) else ""
    return f"{int(level)} · {format_score(score)}{mark}"


def plain_level_and_score(level: int | None, score: float | None) -> str:
    """`level_and_score` of plain values — None or a number, as `plain_level` and
    `plain_score` give them (a HeatmapMatrix's cells) — the same text without the blank
    checks for NaN and NA: a portfolio page writes thousands of cells."""
    if level is None:
        return "" if score is None else f"{score:.2f}"
    if score is None:
        return str(level)
    mark = HELD_MARK if level < level_of(score) else ""
    return f"{level} · {score:.2f}{mark}"


def plain_signed_score(value: float | None) -> str:
    """`format_score(value, signed=True)` of a plain float (NaN or None for none)."""
    return "" if value is None or value != value else f"{value:+.2f}"


def level_label(level: Value, names: Mapping[int, str]) -> str:
    """'3 Managed'; blank when there is no level."""
    if is_blank(level):
        return ""
    name = names.get(int(level), "")
    return f"{int(level)} {name}".strip()


# --- charts and legends -------------------------------------------------------------------


def plotly_colorscale(
    levels: Iterable[int] | Mapping[int, str] | None = None,
) -> list[list[float | str]]:
    """A discrete plotly colorscale for the framework's levels, drawn on z = the level's rank
    (1…N) with zmin=0.5, zmax=N+0.5: each level owns an equal band of one flat colour,
    so the colour bar shows one block per level (the legend)."""
    palette = level_palette(levels)
    count = len(palette)
    scale: list[list[float | str]] = []
    for colour in palette:
        scale.append([(colour.rank - 1) / count, colour.fill])
        scale.append([colour.rank / count, colour.fill])
    return scale


def level_rank(level: Value, levels: Iterable[int] | Mapping[int, str] | None = None) -> int | None:
    """The level's rank among the framework's levels (1 = lowest), None for no level."""
    colour = _colour_of(level, levels)
    return None if colour is None else colour.rank


def legend(names: Mapping[int, str]) -> list[dict[str, Any]]:
    """The legend entries for a framework's levels, then "no score"."""
    entries: list[dict[str, Any]] = [
        {
            "level": colour.level,
            "label": level_label(colour.level, names),
            "css_class": colour.css_class,
            "fill": colour.fill,
            "text": colour.text,
        }
        for colour in level_palette(names)
    ]
    entries.append(
        {
            "level": None,
            "label": NO_SCORE_LABEL,
            "css_class": "level-none",
            "fill": NO_SCORE_COLOURS[0],
            "text": NO_SCORE_COLOURS[1],
        }
    )
    return entries


# --- CSS ----------------------------------------------------------------------------------

CSS_HEADER = (
    "/* Level colours, generated from reports/domain/levels.py by\n"
    "   `python -m reports.domain.levels > static/ladder/levels.css`: do not edit by hand.\n"
    "   Bootstrap's table variables as well, so that a level wins over table striping. */"
)


def css_rule(name: str, fill: str, text: str) -> str:
    return (
        f".{name} {{ --bs-table-bg: {fill}; --bs-table-color: {text}; "
        f"background-color: {fill}; color: {text}; }}"
    )


def css_rules() -> str:
    """static/ladder/levels.css: a class per rank of every level count up to MAX_CSS_LEVELS,
    then `level-none`."""
    lines = [CSS_HEADER]
    for count in range(1, MAX_CSS_LEVELS + 1):
        for colour in level_palette(range(count)):
            lines.append(css_rule(colour.css_class, colour.fill, colour.text))
    lines.append(css_rule("level-none", *NO_SCORE_COLOURS))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(css_rules(), end="")
