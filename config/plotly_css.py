"""plotly.js's own style rules as a static file, so that charts draw under a strict
Content-Security-Policy (config/middleware.py).

plotly.js 4 injects its rules into a <style> element when it loads, which `style-src
'self'` refuses. It skips that when the page already has an element with id
"plotly.js-style-global" and class "no-inline-styles": templates/reports/_chart_scripts.html
links static/vendor/plotly/plotly.css so. plotly.js builds these rules from one object
literal in plotly.min.js ("X" standing for the graph's class, "Y" for the notifier's); this
module reads it from the bundle we serve (static/vendor/plotly/plotly.min.js, see its
README). After rebuilding that bundle, regenerate the file:

    .venv/bin/python -m config.plotly_css

(tests/hostile/test_csp.py fails while the committed file differs from the bundle's rules.)

The bundle also carries maplibre-gl's stylesheet (for map traces, which Ladder does not
draw), injected as a <style> element when the bundle loads unless an element with
the id MAPLIBRE_STYLE_ID is on the page already: _chart_scripts.html puts an empty
<template> with that id there (tests check the id against the bundle).
"""

from __future__ import annotations

import re
from pathlib import Path

PLOTLY_JS = (
    Path(__file__).resolve().parent.parent / "static" / "vendor" / "plotly" / "plotly.min.js"
)
CSS_FILE = Path(__file__).resolve().parent.parent / "static" / "vendor" / "plotly" / "plotly.css"

_STRING = r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\''
_PAIR = re.compile(rf"({_STRING}):({_STRING})")
_START = '{"X,X div":'
_MAPLIBRE_GUARD = re.compile(
    r'if\(!document\.getElementById\("([0-9a-f]{64})"\)\)\{var e=document\.createElement\("style"\)'
)
MAPLIBRE_STYLE_ID = "2cbe9f858d811be81a3a5ad38f8662692eb4c1bba192787e9d44c5ed4563f983"


def maplibre_style_id(javascript: str) -> str:
    """The id whose element stops the bundled maplibre-gl from injecting its <style>."""
    found = _MAPLIBRE_GUARD.search(javascript)
    return found.group(1) if found else ""


def rules(javascript: str) -> list[tuple[str, str]]:
    """(selector, declarations) in plotly.js's order, selectors expanded as it does."""
    start = javascript.index(_START)
    end = javascript.index("};", start)
    found = []
    for key, value in _PAIR.findall(javascript[start : end + 1]):
        selector = key[1:-1].replace("\\'", "'").replace('\\"', '"')
        selector = re.sub(r"^,", " ,", selector)
        selector = selector.replace("X", ".js-plotly-plot .plotly").replace("Y", ".plotly-notifier")
        found.append((selector, value[1:-1].replace("\\'", "'").replace('\\"', '"')))
    return found


def stylesheet(javascript: str) -> str:
    version = re.search(r"plotly\.js v([0-9.]+)", javascript)
    header = (
        f"/* plotly.js {version.group(1) if version else ''} style rules, read from its "
        "plotly.min.js by config/plotly_css.py (MIT licence, Plotly, Inc.). Do not edit. */\n"
    )
    return header + "".join(f"{selector} {{{body}}}\n" for selector, body in rules(javascript))


if __name__ == "__main__":
    CSS_FILE.parent.mkdir(parents=True, exist_ok=True)
    CSS_FILE.write_text(stylesheet(PLOTLY_JS.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {CSS_FILE}")
