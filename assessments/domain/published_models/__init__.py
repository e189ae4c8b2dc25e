"""Published maturity models, converted to Ladder's framework files (docs/frameworks.md,
"Importing a published model"). Pure Python: no Django.

A converter reads the model's own published file and returns a `Conversion`: the content
of a Ladder framework file, and one line for each kind of thing the model carries that
Ladder does not, so that nothing is dropped without saying so. The framework file then
goes through the one loader every framework goes through (`parse_framework`), so an
imported model meets exactly the limits and checks of a hand-written one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml


@dataclass(frozen=True)
class Conversion:
    framework: dict[str, Any]
    not_carried: tuple[str, ...]

    def framework_text(self) -> str:
        """The framework file, as YAML a consultant can read, edit and load again."""
        return yaml.safe_dump(
            self.framework, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
        )


def unique_code(code: str, taken: set[str]) -> str:
    """`code`, or `code-2`, `code-3`… when a published model gives two things the same code;
    the code returned is added to `taken`."""
    candidate, n = code, 1
    while candidate in taken:
        n += 1
        candidate = f"{code}-{n}"
    taken.add(candidate)
    return candidate


def shortened(text: str, most: int) -> str:
    """`text`, cut to `most` characters with "…" where longer (a published model's text
    past a column's limit; each converter counts and lists what it shortened)."""
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"
