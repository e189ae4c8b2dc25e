"""The level palette (reports/domain/levels.py): ordered, colour-blind safe, WCAG AA, one
source for pages, charts, images, deck and workbook.

Colour-vision deficiencies are simulated with colorspacious (Machado et al. 2009, at full
severity); ΔE is CIE76 ΔE*ab between the simulated colours.
"""

from __future__ import annotations

import re
from pathlib import Path

import colorspacious
import numpy as np
import pytest

from reports.domain import levels

CSS = Path(__file__).resolve().parent.parent / "static" / "ladder" / "levels.css"
DEFICIENCIES = ("deuteranomaly", "protanomaly", "tritanomaly")  # at severity 100: -opia


def simulated(colour: str, deficiency: str) -> np.ndarray:
    rgb = np.array([int(levels.hex_rrggbb(colour)[i : i + 2], 16) / 255 for i in (0, 2, 4)])
    space = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
    return np.clip(colorspacious.cspace_convert(rgb, space, "sRGB1"), 0, 1)


def delta_e(first: str, second: str, deficiency: str) -> float:
    return float(
        colorspacious.deltaE(
            simulated(first, deficiency),
            simulated(second, deficiency),
            input_space="sRGB1",
            uniform_space="CIELab",
        )
    )


def test_the_old_palette_failed_what_the_new_one_passes():
    # Issue 14: Repeatable #fc8d59 and Optimized #91cf60 looked alike to deuteranopes, and
    # white on the top green was 3.7:1. The check below would have caught both.
    assert delta_e("#fc8d59", "#91cf60", "deuteranomaly") < 6
    assert levels.contrast_ratio("#1a9850", "#ffffff") < 4.5


@pytest.mark.parametrize("count", [3, 5, 7, 2, 4, 6, 8])
@pytest.mark.parametrize("deficiency", DEFICIENCIES)
def test_adjacent_levels_stay_apart_under_colour_blindness(count, deficiency):
    fills = [colour.fill for colour in levels.level_palette(range(count))]
    distances = [delta_e(a, b, deficiency) for a, b in zip(fills, fills[1:], strict=False)]
    assert min(distances) >= 15, (count, deficiency, fills, distances)


@pytest.mark.parametrize("count", [3, 5, 7])
def test_levels_stay_apart_from_the_no_score_grey(count):
    for colour in levels.level_palette(range(count)):
        for deficiency in DEFICIENCIES:
            assert delta_e(colour.fill, levels.NO_SCORE_COLOURS[0], deficiency) >= 15


@pytest.mark.parametrize("count", range(1, levels.MAX_CSS_LEVELS + 1))
def test_every_text_and_fill_pair_reaches_wcag_aa(count):
    for colour in levels.level_palette(range(count)):
        assert levels.contrast_ratio(colour.fill, colour.text) >= 4.5, colour
    assert levels.contrast_ratio(*levels.NO_SCORE_COLOURS) >= 4.5


def test_contrast_ratio_is_wcag_s():
    assert levels.contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert levels.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_lowest_level_takes_the_first_colour_and_the_top_level_the_top_colour():
    for numbers in ([0, 1, 2, 3], [1, 2, 3], [0, 1, 2, 3, 4, 5, 6], [3, 7, 9]):
        palette = levels.level_palette(numbers)
        assert [c.level for c in palette] == sorted(numbers)
        assert palette[0].fill == levels.SCALE_ANCHORS[0]
        assert palette[-1].fill == levels.SCALE_ANCHORS[-1]
    # the level numbers do not matter, only their order: 0–2 looks as 1–3
    assert [c.fill for c in levels.level_palette([0, 1, 2])] == [
        c.fill for c in levels.level_palette([1, 2, 3])
    ]


def test_scale_is_ordered_by_lightness_on_each_side_of_yellow():
    # Dark red → yellow gets lighter, yellow → dark blue darker: the order reads without hue.
    fills = [c.fill for c in levels.level_palette(range(7))]
    lightness = [levels._lab(fill)[0] for fill in fills]
    assert lightness[:4] == sorted(lightness[:4])
    assert lightness[3:] == sorted(lightness[3:], reverse=True)


def test_default_five_level_mapping_is_stable():
    assert [(c.level, c.fill, c.text, c.css_class) for c in levels.level_palette()] == [
        (1, "#a50026", "#ffffff", "level-1-of-5"),
        (2, "#f46d43", "#000000", "level-2-of-5"),
        (3, "#fee090", "#000000", "level-3-of-5"),
        (4, "#74add1", "#000000", "level-4-of-5"),
        (5, "#313695", "#ffffff", "level-5-of-5"),
    ]


def test_three_and_seven_level_mappings_are_stable():
    assert [c.fill for c in levels.level_palette([0, 1, 2])] == ["#a50026", "#fee090", "#313695"]
    assert [c.fill for c in levels.level_palette(range(7))] == [
        "#a50026", "#d95039", "#fa965c", "#fee090", "#acbdbd", "#6184bd", "#313695",
    ]  # fmt: skip


def test_interpolation_in_cielab_agrees_with_colorspacious():
    for position in (0.1, 0.375, 0.6, 0.9):
        ours = levels.scale_colour(position)
        steps = len(levels.SCALE_ANCHORS) - 1
        index = min(int(position * steps), steps - 1)
        fraction = position * steps - index
        start, end = (
            colorspacious.cspace_convert(
                np.array([int(levels.hex_rrggbb(c)[i : i + 2], 16) / 255 for i in (0, 2, 4)]),
                "sRGB1",
                "CIELab",
            )
            for c in levels.SCALE_ANCHORS[index : index + 2]
        )
        theirs = np.clip(
            colorspacious.cspace_convert(start + (end - start) * fraction, "CIELab", "sRGB1"), 0, 1
        )
        ours_rgb = np.array([int(levels.hex_rrggbb(ours)[i : i + 2], 16) for i in (0, 2, 4)])
        assert np.abs(ours_rgb - np.round(theirs * 255)).max() <= 1, position


def test_levels_outside_the_framework_take_the_nearest_end_and_blank_is_grey():
    assert levels.level_fill(9) == levels.level_fill(5) == "#313695"
    assert levels.level_fill(0) == levels.level_fill(1) == "#a50026"
    assert levels.level_fill(None) == levels.level_fill(float("nan")) == "#f0f0f0"
    assert levels.level_css_class(2, {0: "a", 1: "b", 2: "c"}) == "level-3-of-3"
    assert levels.level_css_class(None) == "level-none"


def test_css_file_is_generated_from_the_palette():
    css = CSS.read_text()
    assert css == levels.css_rules()
    rules = dict(re.findall(r"\.(level-[\w-]+) \{ [^}]*background-color: (#[0-9a-f]{6});", css))
    for count in (3, 5, 7):
        for colour in levels.level_palette(range(count)):
            assert rules[colour.css_class] == colour.fill
    assert rules["level-none"] == "#f0f0f0"


def test_a_cell_shows_the_level_it_is_coloured_by_and_marks_a_held_capability():
    assert levels.level_and_score(2, 3.04) == "2 · 3.04*"  # mean 3.04, weakest dimension at 2
    assert levels.level_and_score(2, 2.67) == "2 · 2.67"
    assert levels.level_and_score(3, 3.0) == "3 · 3.00"
    assert levels.level_and_score(None, None) == ""
    assert levels.held_below(1, 2.0) and not levels.held_below(2, 2.99)
