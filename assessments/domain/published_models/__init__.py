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
