"""Progress is shown rounded down, on the server and in the page's script alike."""

import re
from pathlib import Path

import pytest

from assessments.domain.answers import progress_percent


@pytest.mark.parametrize(
    "answered, total, percent",
    [(0, 8, 0), (1, 8, 12), (3, 8, 37), (8, 8, 100), (199, 200, 99), (0, 0, 0)],
)
def test_progress_is_whole_percent_rounded_down(answered, total, percent):
    assert progress_percent(answered, total) == percent


def test_the_pages_script_rounds_down_too():
    script = (Path(__file__).resolve().parents[1] / "static/ladder/questionnaire.js").read_text()
    assert re.search(r"Math\.floor\(\(100 \* done\) / questions\.length\)", script)
    assert "Math.round(" not in script
