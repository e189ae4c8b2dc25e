"""Reading and validating framework files (YAML). Pure Python: no Django.

`parse_framework(text, source)` returns a `FrameworkSpec` or raises
`FrameworkError` listing every problem as "file: path.inside.file: what is wrong".
The format is documented in the README ("Framework files").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import yaml

DEFAULT_BENEFIT_FACTOR = 1.0
DEFAULT_COST_MULTIPLIER = 1.0


@dataclass(frozen=True)
class LevelSpec:
    number: int
    name: str
    benefit_factor: float = DEFAULT_BENEFIT_FACTOR
    cost_multiplier: float = DEFAULT_COST_MULTIPLIER


@dataclass(frozen=True)
class DimensionSpec:
    code: str
    name: str


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    capability: str
    dimension: str
    type: str
    text: str
    help: str = ""
    weight: float = 1.0
    options: dict[int, str] = field(default_factory=dict)
    unit: str = ""
    higher_is_better: bool = True
    thresholds: dict[int, float] = field(default_factory=dict)


@dataclass(frozen=True)
class CapabilitySpec:
    code: str
    name: str
    cost_low: float
    cost_high: float
    cost_is_assumption: bool
    impact: str
    benefit_metric: str
    benefit_percent: float
    time_to_value_months: int
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class FrameworkSpec:
    code: str
    version: str
    name: str
    levels: tuple[LevelSpec, ...]
    dimensions: tuple[DimensionSpec, ...]
    capabilities: tuple[CapabilitySpec, ...]
    source_sha256: str

    @property
    def questions(self) -> list[QuestionSpec]:
        return [q for capability in self.capabilities for q in capability.questions]


class FrameworkError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


_TOP_KEYS = {"framework": True, "levels": True, "dimensions": True, "capabilities": True}
_FRAMEWORK_KEYS = {"code": True, "version": True, "name": True}
_LEVEL_KEYS = {"number": True, "name": True, "benefit_factor": False, "cost_multiplier": False}
_DIMENSION_KEYS = {"code": True, "name": True}
_CAPABILITY_KEYS = {
    "code": True,
    "name": True,
    "cost_low": True,
    "cost_high": True,
    "cost_is_assumption": True,
    "impact": True,
    "benefit_metric": True,
    "benefit_percent": True,
    "time_to_value_months": True,
    "questions": True,
}
_QUESTION_KEYS = {
    "code": True,
    "dimension": True,
    "type": True,
    "text": True,
    "help": False,
    "weight": False,
    "options": False,
    "unit": False,
    "higher_is_better": False,
    "thresholds": False,
}


class _Reader:
    """Collects problems while walking the parsed YAML."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{self.source}: {path}: {message}")

    def mapping(self, value: Any, path: str, keys: dict[str, bool]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.problem(path, f"expected a mapping, got {_kind(value)}")
            return None
        for key in value:
            if key not in keys:
                allowed = ", ".join(keys)
                self.problem(f"{path}.{key}", f"unknown key '{key}' (allowed: {allowed})")
        for key, required in keys.items():
            if required and key not in value:
                self.problem(path, f"missing field '{key}'")
        return value

    def sequence(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list) or not value:
            self.problem(path, f"expected a non-empty list, got {_kind(value)}")
            return []
        return value

    def text(self, data: dict[str, Any], key: str, path: str, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(f"{path}.{key}", f"expected text, got {_kind(value)}")
            return ""
        value = str(value).strip()
        if required and not value:
            self.problem(f"{path}.{key}", "must not be empty")
        return value

    def number(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        default: float | None = None,
        minimum: float | None = None,
    ) -> Any:
        value = data.get(key, default)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(f"{path}.{key}", f"expected a number, got {value!r}")
            return default
        if minimum is not None and value < minimum:
            self.problem(f"{path}.{key}", f"must be at least {minimum}, got {value!r}")
        return value

    def integer(self, data: dict[str, Any], key: str, path: str, minimum: int | None = None) -> int:
        value = data.get(key)
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(f"{path}.{key}", f"expected a whole number, got {value!r}")
            return 0
        if minimum is not None and value < minimum:
            self.problem(f"{path}.{key}", f"must be at least {minimum}, got {value}")
        return value

    def boolean(self, data: dict[str, Any], key: str, path: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem(f"{path}.{key}", f"expected true or false, got {value!r}")
            return default
        return value


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    kinds: dict[type, str] = {dict: "a mapping", list: "a list", str: f"text {value!r}"}
    return kinds.get(type(value), repr(value))


def _labelled(path: str, item: Any) -> str:
    """`capabilities[0]` → `capabilities[0] (IDG)`, so a problem is easy to find in the file."""
    code = item.get("code") if isinstance(item, dict) else None
    return f"{path} ({code})" if isinstance(code, str | int) and str(code).strip() else path


def parse_framework(text: str, source: str = "<framework>") -> FrameworkSpec:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "document"
        problem = getattr(error, "problem", None) or str(error)
        raise FrameworkError([f"{source}: {where}: not valid YAML ({problem})"]) from None

    reader = _Reader(source)
    top = reader.mapping(document, "(top)", _TOP_KEYS)
    if top is None:
        raise FrameworkError(reader.problems)

    header = reader.mapping(top.get("framework"), "framework", _FRAMEWORK_KEYS) or {}
    code = reader.text(header, "code", "framework")
    version = reader.text(header, "version", "framework")
    name = reader.text(header, "name", "framework")

    levels = _read_levels(reader, top.get("levels"))
    level_numbers = [level.number for level in levels]
    dimensions = _read_dimensions(reader, top.get("dimensions"))
    dimension_codes = {dimension.code for dimension in dimensions}
    capabilities = _read_capabilities(
        reader, top.get("capabilities"), level_numbers, dimension_codes
    )

    if reader.problems:
        raise FrameworkError(reader.problems)
    return FrameworkSpec(
        code=code,
        version=version,
        name=name,
        levels=tuple(levels),
        dimensions=tuple(dimensions),
        capabilities=tuple(capabilities),
        source_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def _read_levels(reader: _Reader, raw: Any) -> list[LevelSpec]:
    levels = []
    for index, item in enumerate(reader.sequence(raw, "levels")):
        path = f"levels[{index}]"
        data = reader.mapping(item, path, _LEVEL_KEYS)
        if data is None:
            continue
        number = reader.integer(data, "number", path, minimum=1)
        expected = index + 1
        if number and number != expected:
            reader.problem(
                f"{path}.number",
                f"levels must be numbered 1, 2, 3… in order; expected {expected}, got {number}",
            )
        levels.append(
            LevelSpec(
                number=number,
                name=reader.text(data, "name", path),
                benefit_factor=reader.number(
                    data, "benefit_factor", path, DEFAULT_BENEFIT_FACTOR, minimum=0
                ),
                cost_multiplier=reader.number(
                    data, "cost_multiplier", path, DEFAULT_COST_MULTIPLIER, minimum=0
                ),
            )
        )
    if raw is not None and isinstance(raw, list) and 0 < len(raw) < 2:
        reader.problem("levels", "a framework needs at least two levels")
    return levels


def _read_dimensions(reader: _Reader, raw: Any) -> list[DimensionSpec]:
    dimensions = []
    seen: set[str] = set()
    for index, item in enumerate(reader.sequence(raw, "dimensions")):
        path = f"dimensions[{index}]"
        data = reader.mapping(item, path, _DIMENSION_KEYS)
        if data is None:
            continue
        code = reader.text(data, "code", path)
        if code in seen:
            reader.problem(f"{path}.code", f"duplicate dimension code '{code}'")
        seen.add(code)
        dimensions.append(DimensionSpec(code=code, name=reader.text(data, "name", path)))
    return dimensions


def _read_capabilities(
    reader: _Reader, raw: Any, level_numbers: list[int], dimension_codes: set[str]
) -> list[CapabilitySpec]:
    capabilities = []
    capability_codes: set[str] = set()
    question_codes: set[str] = set()
    for index, item in enumerate(reader.sequence(raw, "capabilities")):
        path = _labelled(f"capabilities[{index}]", item)
        data = reader.mapping(item, path, _CAPABILITY_KEYS)
        if data is None:
            continue
        code = reader.text(data, "code", path)
        if code in capability_codes:
            reader.problem(f"{path}.code", f"duplicate capability code '{code}'")
        capability_codes.add(code)
        cost_low = reader.number(data, "cost_low", path, minimum=0)
        cost_high = reader.number(data, "cost_high", path, minimum=0)
        if cost_low is not None and cost_high is not None and cost_high < cost_low:
            reader.problem(
                f"{path}.cost_high", f"must be at least cost_low ({cost_low}), got {cost_high}"
            )
        questions = []
        for q_index, q_item in enumerate(
            reader.sequence(data.get("questions"), f"{path}.questions")
        ):
            question = _read_question(
                reader, q_item, f"{path}.questions[{q_index}]", code, level_numbers, dimension_codes
            )
            if question is None:
                continue
            if question.code in question_codes:
                reader.problem(
                    _labelled(f"{path}.questions[{q_index}]", q_item) + ".code",
                    f"duplicate question code '{question.code}'",
                )
            question_codes.add(question.code)
            questions.append(question)
        capabilities.append(
            CapabilitySpec(
                code=code,
                name=reader.text(data, "name", path),
                cost_low=cost_low or 0,
                cost_high=cost_high or 0,
                cost_is_assumption=reader.boolean(data, "cost_is_assumption", path, True),
                impact=reader.text(data, "impact", path),
                benefit_metric=reader.text(data, "benefit_metric", path),
                benefit_percent=reader.number(data, "benefit_percent", path, minimum=0) or 0,
                time_to_value_months=reader.integer(data, "time_to_value_months", path, minimum=0),
                questions=tuple(questions),
            )
        )
    return capabilities


def _read_question(
    reader: _Reader,
    raw: Any,
    path: str,
    capability: str,
    level_numbers: list[int],
    dimension_codes: set[str],
) -> QuestionSpec | None:
    path = _labelled(path, raw)
    data = reader.mapping(raw, path, _QUESTION_KEYS)
    if data is None:
        return None
    code = reader.text(data, "code", path)
    dimension = reader.text(data, "dimension", path)
    if dimension and dimension not in dimension_codes:
        known = ", ".join(sorted(dimension_codes))
        reader.problem(f"{path}.dimension", f"unknown dimension '{dimension}' (known: {known})")
    kind = reader.text(data, "type", path)
    weight = reader.number(data, "weight", path, 1.0)
    if weight is not None and weight <= 0:
        reader.problem(f"{path}.weight", f"must be greater than 0, got {weight}")
    options: dict[int, str] = {}
    thresholds: dict[int, float] = {}
    higher_is_better = reader.boolean(data, "higher_is_better", path, True)
    if kind == "choice":
        options = _read_options(reader, data.get("options"), f"{path}.options", level_numbers)
        for key in ("thresholds", "unit", "higher_is_better"):
            if key in data:
                reader.problem(f"{path}.{key}", f"'{key}' belongs to numeric questions, not choice")
    elif kind == "numeric":
        thresholds = _read_thresholds(
            reader, data.get("thresholds"), f"{path}.thresholds", level_numbers, higher_is_better
        )
        if "options" in data:
            reader.problem(f"{path}.options", "'options' belongs to choice questions, not numeric")
    elif kind:
        reader.problem(f"{path}.type", f"unknown type '{kind}' (choice or numeric)")
    return QuestionSpec(
        code=code,
        capability=capability,
        dimension=dimension,
        type=kind,
        text=reader.text(data, "text", path),
        help=reader.text(data, "help", path, required=False),
        weight=float(weight or 1.0),
        options=options,
        unit=reader.text(data, "unit", path, required=False),
        higher_is_better=higher_is_better,
        thresholds=thresholds,
    )


def _level_keyed(reader: _Reader, raw: Any, path: str) -> dict[int, Any]:
    if not isinstance(raw, dict):
        reader.problem(path, f"expected a mapping of level number to value, got {_kind(raw)}")
        return {}
    result = {}
    for key, value in raw.items():
        try:
            number = int(key)
        except (TypeError, ValueError):
            reader.problem(f"{path}.{key}", f"'{key}' is not a level number")
            continue
        result[number] = value
    return result


def _read_options(reader: _Reader, raw: Any, path: str, level_numbers: list[int]) -> dict[int, str]:
    options = _level_keyed(reader, raw, path)
    if raw is not None and isinstance(raw, dict):
        missing = [n for n in level_numbers if n not in options]
        extra = [n for n in options if n not in level_numbers]
        if missing or extra:
            detail = []
            if missing:
                detail.append("missing " + ", ".join(map(str, missing)))
            if extra:
                detail.append("not a level: " + ", ".join(map(str, extra)))
            reader.problem(
                path, f"a choice question needs one option per level ({'; '.join(detail)})"
            )
    for number, text in options.items():
        if not isinstance(text, str) or not text.strip():
            reader.problem(f"{path}.{number}", "option text must not be empty")
    return {n: str(t).strip() for n, t in sorted(options.items()) if n in level_numbers}


def _read_thresholds(
    reader: _Reader, raw: Any, path: str, level_numbers: list[int], higher_is_better: bool
) -> dict[int, float]:
    thresholds = _level_keyed(reader, raw, path)
    expected = level_numbers[1:]
    if raw is not None and isinstance(raw, dict) and sorted(thresholds) != expected:
        reader.problem(
            path,
            "a numeric question needs one threshold for each level above the first "
            f"({', '.join(map(str, expected))}), got {', '.join(map(str, sorted(thresholds))) or 'none'}",
        )
    clean: dict[int, float] = {}
    for number in sorted(thresholds):
        value = thresholds[number]
        if isinstance(value, bool) or not isinstance(value, int | float):
            reader.problem(f"{path}.{number}", f"expected a number, got {value!r}")
            continue
        clean[number] = float(value)
    values = list(clean.values())
    ordered = (
        all(a < b for a, b in zip(values, values[1:], strict=False))
        if higher_is_better
        else all(a > b for a, b in zip(values, values[1:], strict=False))
    )
    if not ordered:
        direction = "increase" if higher_is_better else "decrease"
        reader.problem(
            path,
            f"thresholds out of order: with higher_is_better: {str(higher_is_better).lower()} "
            f"they must strictly {direction} with the level, got {clean}",
        )
    return clean
