"""Reading and validating framework files (YAML). Pure Python: no Django.

`parse_framework(text, source)` returns a `FrameworkSpec` or raises
`FrameworkError` listing every problem as "file: path.inside.file: what is wrong".
The format is documented in the README ("Framework files").

A framework file is third-party content (published models are imported too), so it is
read as hostile: its size, nesting depth and the values its YAML aliases expand to are
bounded before anything is built (assessments/domain/limits.py), numbers follow the one
strict rule (plain decimals: `1_000`, `0x10`, `1:30`, `017`, `1e20` stay text and are
refused by name; `.nan` and `.inf` are refused as not finite), and every text and number
is checked against the column it is stored in.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml

from . import limits
from .aggregation import AGGREGATIONS, SUM, WEIGHTED_MEAN
from .limits import AmountLimit, NumberLimit, TextLimit

DEFAULT_BENEFIT_FACTOR = 1.0
DEFAULT_COST_MULTIPLIER = 1.0


@dataclass(frozen=True)
class LevelSpec:
    number: int
    name: str
    benefit_factor: float = DEFAULT_BENEFIT_FACTOR
    cost_multiplier: float = DEFAULT_COST_MULTIPLIER
    description: str = ""


@dataclass(frozen=True)
class DimensionSpec:
    code: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class ProfileSpec:
    """A selection of the questions a cycle may ask instead of all of them."""

    code: str
    name: str
    description: str = ""


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
    level: int | None = None  # yes_no: the level whose activity the question is
    # choice with valued options (a list in the file): option number (1 for the first as
    # listed) → its value; `options` is then keyed by option number, not by level.
    option_values: dict[int, float] = field(default_factory=dict)
    # The profiles that ask it, as the file names them; () for every profile.
    profiles: tuple[str, ...] = ()

    def highest_value(self, top: int) -> float:
        """The most an answer to this question can count as (its value or level)."""
        if self.option_values:
            return max(self.option_values.values())
        if self.type == "yes_no" and self.level is not None:
            return float(self.level)
        return float(top)


@dataclass(frozen=True)
class CapabilitySpec:
    """A capability. Its economics (cost band, benefit metric and percent, time to value)
    are given together or not at all: without them (None, benefit_metric "") its upgrades
    are recommended on maturity alone, with no cost band, NPV or DEOM mode."""

    code: str
    name: str
    cost_low: float | None
    cost_high: float | None
    cost_is_assumption: bool
    impact: str
    benefit_metric: str
    benefit_percent: float | None
    time_to_value_months: int | None
    questions: tuple[QuestionSpec, ...]
    description: str = ""
    aggregation: str = WEIGHTED_MEAN  # its own `aggregation:`, else the framework's
    # The groups it sits in, outermost first: ("Design",), ("GOVERN", "Risk"); () for none.
    groups: tuple[str, ...] = ()

    @property
    def has_economics(self) -> bool:
        return self.cost_low is not None


@dataclass(frozen=True)
class FrameworkSpec:
    code: str
    version: str
    name: str
    levels: tuple[LevelSpec, ...]
    dimensions: tuple[DimensionSpec, ...]
    capabilities: tuple[CapabilitySpec, ...]
    source_sha256: str
    introduction: str = ""  # shown to respondents above the questionnaire (plain text)
    description: str = ""
    aggregation: str = WEIGHTED_MEAN  # the capabilities' default
    profiles: tuple[ProfileSpec, ...] = ()

    @property
    def questions(self) -> list[QuestionSpec]:
        return [q for capability in self.capabilities for q in capability.questions]


class FrameworkError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


_TOP_KEYS = {
    "framework": True,
    "levels": True,
    "dimensions": True,
    "profiles": False,
    "capabilities": True,
}
_PROFILE_KEYS = {"code": True, "name": True, "description": False}
_FRAMEWORK_KEYS = {
    "code": True,
    "version": True,
    "name": True,
    "introduction": False,
    "description": False,
    "aggregation": False,
}
_LEVEL_KEYS = {
    "number": True,
    "name": True,
    "description": False,
    "benefit_factor": False,
    "cost_multiplier": False,
}
_DIMENSION_KEYS = {"code": True, "name": True, "description": False}
_CAPABILITY_KEYS = {
    "code": True,
    "name": True,
    "description": False,
    "cost_low": False,
    "cost_high": False,
    "cost_is_assumption": False,
    "impact": False,
    "benefit_metric": False,
    "benefit_percent": False,
    "time_to_value_months": False,
    "questions": True,
    "aggregation": False,
    "group": False,
}
# A capability's economics: all of these or none (no published model has cost data; without
# it the capability's upgrades are recommended on maturity alone). With them, `impact` (the
# benefit in words) is required too and `cost_is_assumption` (default true) optional;
# without them, `impact` is optional and `cost_is_assumption` refused.
ECONOMICS_KEYS = (
    "cost_low",
    "cost_high",
    "benefit_metric",
    "benefit_percent",
    "time_to_value_months",
)
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
    "level": False,
    "profiles": False,
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
            got = "an empty list" if isinstance(value, list) else _kind(value)
            self.problem(path, f"expected a non-empty list, got {got}")
            return []
        return value

    def bounded(self, items: list[Any], path: str, most: int, what: str) -> list[Any]:
        """`items`, refused past `most` (positions and form fields are bounded: limits.py)."""
        if len(items) > most:
            self.problem(path, f"at most {most:,} {what}, got {len(items):,}")
        return items

    def text(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        limit: TextLimit,
        required: bool = True,
        code: bool = False,
    ) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if isinstance(value, bool):
            self.problem(f"{path}.{key}", _boolean_read_as_text("text", value))
            return ""
        if not isinstance(value, str | int | float):
            self.problem(f"{path}.{key}", f"expected text, got {_kind(value)}")
            return ""
        value = str(value).strip()
        if required and not value:
            self.problem(f"{path}.{key}", "must not be empty")
        check = limits.code_problem if code else limits.text_problem
        problem = check(value, limit)
        if problem:
            self.problem(f"{path}.{key}", f"{limit.label} {problem}")
        return value

    def number(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        limit: NumberLimit,
        default: float | None = None,
    ) -> Any:
        value = data.get(key, default)
        if value is None:
            return default
        if not self._is_number(value, f"{path}.{key}", "a number"):
            return default
        problem = limits.number_problem(value, limit, _yaml_number(value))
        if problem:
            self.problem(f"{path}.{key}", problem)
            return default
        return value

    def amount(self, data: dict[str, Any], key: str, path: str, limit: AmountLimit) -> Any:
        value = data.get(key)
        if value is None:
            return None
        if not self._is_number(value, f"{path}.{key}", "an amount in USD"):
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(f"{path}.{key}", f"must be a finite number, got {_yaml_number(value)}")
            return None
        problem = limits.amount_problem(
            value if isinstance(value, int) else Decimal(repr(value)), limit
        )
        if problem:
            self.problem(f"{path}.{key}", problem)
            return None
        return value

    def integer(self, data: dict[str, Any], key: str, path: str, limit: NumberLimit) -> int:
        value = data.get(key)
        if value is None:
            return 0
        if isinstance(value, float):
            self.problem(f"{path}.{key}", f"expected a whole number, got {_yaml_number(value)}")
            return 0
        if not self._is_number(value, f"{path}.{key}", "a whole number"):
            return 0
        problem = limits.number_problem(value, limit)
        if problem:
            self.problem(f"{path}.{key}", problem)
            return 0
        return int(value)

    def _is_number(self, value: Any, where: str, expected: str) -> bool:
        """Whether `value` is a YAML number; if not, the problem names why: text that looks
        like a number is refused by the one number rule (`1_000`, `1e20`, `3,5`)."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return True
        if isinstance(value, str):
            if re.fullmatch(r"[+-]?0[0-9]+", value):
                octal = f"octal {int(value, 8)}" if set(value) <= set("+-01234567") else "octal"
                self.problem(
                    where,
                    f"expected {expected}, got {limits.shown(value)} with a leading zero "
                    f"(YAML 1.1 would read it as {octal}): write {int(value)}",
                )
                return False
            try:
                limits.parse_decimal(value)
            except limits.NumberError as error:
                self.problem(where, f"expected {expected}: {error}")
            else:
                self.problem(
                    where, f"expected {expected}, got text {limits.shown(value)} (drop the quotes)"
                )
            return False
        self.problem(where, f"expected {expected}, got {_kind(value)}")
        return False

    def boolean(self, data: dict[str, Any], key: str, path: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem(f"{path}.{key}", f"expected true or false, got {value!r}")
            return default
        return value


def _boolean_read_as_text(what: str, value: bool) -> str:
    """YAML 1.1 reads unquoted yes/no/on/off/true/false as booleans: `1: No` is not the
    text "No"; the message says so (it said "must not be empty")."""
    return (
        f"{what} was read as the boolean {str(value).lower()} (YAML reads an unquoted "
        'yes, no, on, off, true or false as a boolean): quote it, e.g. "No"'
    )


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"text {limits.shown(value)}"
    return limits.shown(repr(value)).strip("'")


def _yaml_number(value: float | int) -> str:
    """A number as the file wrote it: `.nan`, `.inf`, `-.inf` for the YAML spellings."""
    if isinstance(value, float) and math.isnan(value):
        return ".nan"
    if isinstance(value, float) and math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    return limits.number_shown(value)


def _labelled(path: str, item: Any) -> str:
    """`capabilities[0]` → `capabilities[0] (IDG)`, so a problem is easy to find in the file."""
    code = item.get("code") if isinstance(item, dict) else None
    if not (isinstance(code, str | int) and str(code).strip()):
        return path
    return f"{path} ({limits.shown(str(code).strip(), 24).strip(chr(39))})"


# --- reading YAML, bounded ------------------------------------------------------------------

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


class _FrameworkLoader(yaml.SafeLoader):
    """PyYAML's safe loader (no tags, no objects) with two changes. Numbers are only plain
    decimals: YAML 1.1 also reads `1_000`, `0x10`, `017` (octal), `1:30` (sexagesimal) and
    `1e3`-style floats, which here stay text for the checks to refuse by name. And nesting
    is bounded while composing (PyYAML composes recursively: 20,000 brackets would exhaust
    Python's stack)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.depth += 1
        if self.depth > limits.MAX_YAML_DEPTH:
            raise _Bounded(
                f"mappings and lists nested more than {limits.MAX_YAML_DEPTH} deep",
                self.peek_event().start_mark,  # type: ignore[no-untyped-call]
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


_FrameworkLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_FrameworkLoader.add_implicit_resolver(
    _INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_FrameworkLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."),
)


class _Bounded(yaml.YAMLError):
    """The file is beyond what the loader reads (limits.MAX_YAML_*)."""

    def __init__(self, message: str, mark: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


def _count_values(node: yaml.Node, counted: dict[int, int]) -> int:
    """How many values `node` stands for once aliases are expanded: an alias counts as all
    of what it refers to, every time it is used. Each node is counted once (memoised), so
    this costs as much as the file, not as the expansion."""
    known = counted.get(id(node))
    if known is not None:
        return known
    counted[id(node)] = 1  # a recursive alias (&a [*a]) counts once
    total = 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            total += _count_values(key, counted) + _count_values(value, counted)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            total += _count_values(item, counted)
    counted[id(node)] = total = min(total, limits.MAX_YAML_VALUES + 1)
    return total


def _construct(loader: _FrameworkLoader, node: yaml.Node) -> Any:
    if _count_values(node, {}) > limits.MAX_YAML_VALUES:
        raise _Bounded(
            f"holds more than {limits.MAX_YAML_VALUES:,} values once its aliases (*name) "
            "are expanded"
        )
    return loader.construct_document(node)


def _read_yaml(text: str, source: str, *, documents: bool) -> Any:
    """The file's one document (or, with `documents`, the list of all of them), read as
    hostile: its size, nesting depth and alias expansion bounded; every problem raised as
    FrameworkError ("file: line L, column C: what is wrong")."""
    size = len(text.encode("utf-8"))
    if size > limits.MAX_FRAMEWORK_FILE_BYTES:
        raise FrameworkError(
            [
                f"{source}: the file is {limits.size_text(size)} "
                f"(at most {limits.size_text(limits.MAX_FRAMEWORK_FILE_BYTES)})"
            ]
        )
    loader = _FrameworkLoader(text)
    try:
        if documents:
            found = []
            while loader.check_node():
                node = loader.get_node()
                if node is not None:
                    found.append(_construct(loader, node))
            return found
        node = loader.get_single_node()
        return None if node is None else _construct(loader, node)
    except _Bounded as error:
        mark = error.mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(top)"
        raise FrameworkError([f"{source}: {where}: {error.message}"]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "document"
        problem = getattr(error, "problem", None) or str(error)
        raise FrameworkError([f"{source}: {where}: not valid YAML ({problem})"]) from None
    finally:
        loader.dispose()


def load_yaml_documents(text: str, source: str) -> list[Any]:
    """Every document of a published model's YAML file (DSOMM's holds its metadata, then
    its model), under the same bounds as a framework file."""
    documents: list[Any] = _read_yaml(text, source, documents=True)
    return documents


def parse_framework(text: str, source: str = "<framework>") -> FrameworkSpec:
    document = _read_yaml(text, source, documents=False)

    reader = _Reader(source)
    top = reader.mapping(document, "(top)", _TOP_KEYS)
    if top is None:
        raise FrameworkError(reader.problems)

    header = reader.mapping(top.get("framework"), "framework", _FRAMEWORK_KEYS) or {}
    code = reader.text(header, "code", "framework", limits.FRAMEWORK_CODE, code=True)
    version = reader.text(header, "version", "framework", limits.FRAMEWORK_VERSION)
    name = reader.text(header, "name", "framework", limits.FRAMEWORK_NAME)
    introduction = reader.text(
        header, "introduction", "framework", limits.FRAMEWORK_INTRODUCTION, required=False
    )
    description = reader.text(
        header, "description", "framework", limits.DESCRIPTION, required=False
    )

    aggregation = _read_aggregation(reader, header, "framework", WEIGHTED_MEAN)

    levels = _read_levels(reader, top.get("levels"))
    level_numbers = [level.number for level in levels]
    dimensions = _read_dimensions(reader, top.get("dimensions"))
    dimension_codes = {dimension.code for dimension in dimensions}
    profiles = _read_profiles(reader, top.get("profiles"))
    capabilities = _read_capabilities(
        reader,
        top.get("capabilities"),
        level_numbers,
        dimension_codes,
        aggregation,
        {profile.code for profile in profiles},
    )
    _check_profiles_ask(reader, profiles, capabilities)

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
        introduction=introduction,
        description=description,
        aggregation=aggregation,
        profiles=tuple(profiles),
    )


def _read_profiles(reader: _Reader, raw: Any) -> list[ProfileSpec]:
    """`profiles:`, optional: the selections of questions a cycle may ask."""
    if raw is None:
        return []
    return [
        ProfileSpec(code, name, description)
        for code, name, description in _read_named_items(
            reader, raw, "profile", limits.MAX_PROFILES, _PROFILE_KEYS,
            (limits.PROFILE_CODE, limits.PROFILE_NAME), labelled=True,
        )
    ]  # fmt: skip


def _read_named_items(
    reader: _Reader,
    raw: Any,
    what: str,
    most: int,
    keys: dict[str, bool],
    code_and_name: tuple[TextLimit, TextLimit],
    *,
    labelled: bool,
) -> list[tuple[str, str, str]]:
    """(code, name, description) of each item of a list of dimensions or profiles, codes
    unique; `labelled`: paths name the item's code ("profiles[1] (full)")."""
    items_of = f"{what}s"
    found = []
    seen: set[str] = set()
    items = reader.sequence(raw, items_of)
    reader.bounded(items, items_of, most, items_of)
    for index, item in enumerate(items):
        path = f"{items_of}[{index}]"
        path = _labelled(path, item) if labelled else path
        data = reader.mapping(item, path, keys)
        if data is None:
            continue
        code = reader.text(data, "code", path, code_and_name[0], code=True)
        if code in seen:
            reader.problem(f"{path}.code", f"duplicate {what} code '{code}'")
        seen.add(code)
        found.append(
            (
                code,
                reader.text(data, "name", path, code_and_name[1]),
                reader.text(data, "description", path, limits.DESCRIPTION, required=False),
            )
        )
    return found


def _check_profiles_ask(
    reader: _Reader, profiles: list[ProfileSpec], capabilities: list[CapabilitySpec]
) -> None:
    """A profile no question is in would make a cycle with nothing to answer."""
    named = {code for c in capabilities for q in c.questions for code in q.profiles}
    everywhere = any(not q.profiles for c in capabilities for q in c.questions)
    for index, profile in enumerate(profiles):
        if profile.code and not everywhere and profile.code not in named:
            reader.problem(
                f"profiles[{index}] ({profile.code})",
                "no question is in this profile (give questions 'profiles: "
                f"[{profile.code}]', or leave a question's 'profiles' out to ask it in every "
                "profile)",
            )


def _read_question_profiles(
    reader: _Reader, raw: Any, path: str, profile_codes: set[str]
) -> tuple[str, ...]:
    """A question's `profiles:`: codes of the framework's profiles, at least one."""
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        got = "an empty list" if isinstance(raw, list) else _kind(raw)
        reader.problem(path, f"expected a list of profile codes, got {got}")
        return ()
    codes: list[str] = []
    for value in raw:
        code = str(value).strip() if isinstance(value, str | int) else ""
        if code not in profile_codes:
            known = ", ".join(sorted(profile_codes)) or "none: declare them under 'profiles:'"
            reader.problem(path, f"unknown profile {limits.shown(str(value))} (known: {known})")
        elif code not in codes:
            codes.append(code)
    return tuple(codes)


def _read_groups(reader: _Reader, raw: Any, path: str) -> tuple[str, ...]:
    """`group: Design`, or a path of groups outermost first (`group: [GOVERN, Risk]`)."""
    if raw is None:
        return ()
    names = [raw] if isinstance(raw, str | bool) else raw
    if not isinstance(names, list) or not names:
        got = "an empty list" if names == [] else _kind(raw)
        reader.problem(path, f"expected a group name or a list of them, got {got}")
        return ()
    if len(names) > limits.MAX_GROUP_DEPTH:
        reader.problem(path, f"at most {limits.MAX_GROUP_DEPTH} levels of groups, got {len(names)}")
        return ()
    groups = []
    for index, name in enumerate(names):
        where = path if isinstance(raw, str | bool) else f"{path}[{index}]"
        if isinstance(name, bool):
            reader.problem(where, _boolean_read_as_text("a group name", name))
            continue
        if not isinstance(name, str) or not name.strip():
            reader.problem(where, f"expected a group name, got {_kind(name)}")
            continue
        problem = limits.text_problem(name.strip(), limits.GROUP_NAME)
        if problem:
            reader.problem(where, f"group name {problem}")
            continue
        groups.append(name.strip())
    return tuple(groups)


def _read_aggregation(reader: _Reader, data: dict[str, Any], path: str, default: str) -> str:
    """`aggregation:` of the framework or of one capability: one of AGGREGATIONS."""
    if "aggregation" not in data:
        return default
    value = reader.text(data, "aggregation", path, _TYPE)
    if value and value not in AGGREGATIONS:
        reader.problem(
            f"{path}.aggregation",
            f"unknown aggregation {limits.shown(value)} ({' or '.join(AGGREGATIONS)})",
        )
        return default
    return value or default


def _read_levels(reader: _Reader, raw: Any) -> list[LevelSpec]:
    """Levels as the model publishes them: consecutive whole numbers from the first one
    (0 for SAMM and DSOMM, 1 for Ladder's own frameworks)."""
    levels = []
    first: int | None = None
    for index, item in enumerate(reader.sequence(raw, "levels")):
        path = f"levels[{index}]"
        data = reader.mapping(item, path, _LEVEL_KEYS)
        if data is None:
            continue
        number = reader.integer(data, "number", path, limits.LEVEL_NUMBER)
        if first is None:
            first = number
        expected = first + index
        if number != expected:
            reader.problem(
                f"{path}.number",
                f"levels must be numbered in order without gaps ({first}, {first + 1}, "
                f"{first + 2}…); expected {expected}, got {number}",
            )
        levels.append(
            LevelSpec(
                number=number,
                name=reader.text(data, "name", path, limits.LEVEL_NAME),
                description=reader.text(
                    data, "description", path, limits.DESCRIPTION, required=False
                ),
                benefit_factor=reader.number(
                    data, "benefit_factor", path, limits.BENEFIT_FACTOR, DEFAULT_BENEFIT_FACTOR
                ),
                cost_multiplier=reader.number(
                    data, "cost_multiplier", path, limits.COST_MULTIPLIER, DEFAULT_COST_MULTIPLIER
                ),
            )
        )
    if raw is not None and isinstance(raw, list) and 0 < len(raw) < 2:
        reader.problem("levels", "a framework needs at least two levels")
    if isinstance(raw, list) and len(raw) > limits.LEVEL_NUMBER.maximum:
        reader.problem(
            "levels",
            f"at most {limits.number_shown(limits.LEVEL_NUMBER.maximum)} levels, got {len(raw)}",
        )
    return levels


def _read_dimensions(reader: _Reader, raw: Any) -> list[DimensionSpec]:
    return [
        DimensionSpec(code, name, description)
        for code, name, description in _read_named_items(
            reader, raw, "dimension", limits.MAX_DIMENSIONS, _DIMENSION_KEYS,
            (limits.DIMENSION_CODE, limits.DIMENSION_NAME), labelled=False,
        )
    ]  # fmt: skip


def _read_capabilities(
    reader: _Reader,
    raw: Any,
    level_numbers: list[int],
    dimension_codes: set[str],
    default_aggregation: str = WEIGHTED_MEAN,
    profile_codes: set[str] | None = None,
) -> list[CapabilitySpec]:
    capabilities = []
    capability_codes: set[str] = set()
    question_codes: set[str] = set()
    items = reader.sequence(raw, "capabilities")
    reader.bounded(items, "capabilities", limits.MAX_CAPABILITIES, "capabilities")
    question_count = 0
    for index, item in enumerate(items):
        path = _labelled(f"capabilities[{index}]", item)
        data = reader.mapping(item, path, _CAPABILITY_KEYS)
        if data is None:
            continue
        code = reader.text(data, "code", path, limits.CAPABILITY_CODE, code=True)
        if code in capability_codes:
            reader.problem(f"{path}.code", f"duplicate capability code '{code}'")
        capability_codes.add(code)
        given = [key for key in ECONOMICS_KEYS if key in data]
        has_economics = bool(given)
        if given and len(given) < len(ECONOMICS_KEYS):
            missing = ", ".join(key for key in ECONOMICS_KEYS if key not in data)
            reader.problem(
                path,
                f"economics are all or nothing: {', '.join(given)} given without {missing} "
                "(leave them all out for maturity-only recommendations)",
            )
        if has_economics and "impact" not in data:
            reader.problem(path, "missing field 'impact' (what the upgrade's benefit is)")
        if not has_economics and "cost_is_assumption" in data:
            reader.problem(
                f"{path}.cost_is_assumption",
                f"says whether a cost band is assumed, but no cost band is given "
                f"({', '.join(ECONOMICS_KEYS)})",
            )
        cost_low = reader.amount(data, "cost_low", path, limits.COST_BAND)
        cost_high = reader.amount(data, "cost_high", path, limits.COST_BAND)
        if cost_low is not None and cost_high is not None and cost_high < cost_low:
            reader.problem(
                f"{path}.cost_high", f"must be at least cost_low ({cost_low}), got {cost_high}"
            )
        questions = []
        q_items = reader.sequence(data.get("questions"), f"{path}.questions")
        reader.bounded(
            q_items,
            f"{path}.questions",
            limits.MAX_QUESTIONS_PER_CAPABILITY,
            "questions in one capability (its questionnaire is one page)",
        )
        question_count += len(q_items)
        for q_index, q_item in enumerate(q_items):
            question = _read_question(
                reader,
                q_item,
                f"{path}.questions[{q_index}]",
                code,
                level_numbers,
                dimension_codes,
                profile_codes or set(),
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
        aggregation = _read_aggregation(reader, data, path, default_aggregation)
        if aggregation == SUM:
            _check_sums(reader, path, questions, level_numbers)
        capabilities.append(
            CapabilitySpec(
                code=code,
                name=reader.text(data, "name", path, limits.CAPABILITY_NAME),
                cost_low=(cost_low or 0) if has_economics else None,
                cost_high=(cost_high or 0) if has_economics else None,
                cost_is_assumption=has_economics
                and reader.boolean(data, "cost_is_assumption", path, True),
                impact=reader.text(data, "impact", path, limits.IMPACT, required=has_economics),
                benefit_metric=reader.text(
                    data, "benefit_metric", path, limits.BENEFIT_METRIC, required=has_economics
                ),
                benefit_percent=(
                    reader.number(data, "benefit_percent", path, limits.BENEFIT_PERCENT) or 0
                )
                if has_economics
                else None,
                time_to_value_months=reader.integer(
                    data, "time_to_value_months", path, limits.TIME_TO_VALUE_MONTHS
                )
                if has_economics
                else None,
                questions=tuple(questions),
                description=reader.text(
                    data, "description", path, limits.DESCRIPTION, required=False
                ),
                aggregation=aggregation,
                groups=_read_groups(reader, data.get("group"), f"{path}.group"),
            )
        )
    if question_count > limits.MAX_QUESTIONS:
        reader.problem(
            "capabilities", f"at most {limits.MAX_QUESTIONS:,} questions, got {question_count:,}"
        )
    return capabilities


def _check_sums(
    reader: _Reader, path: str, questions: list[QuestionSpec], level_numbers: list[int]
) -> None:
    """Under `aggregation: sum` a cell's score is the weighted sum of its questions' values:
    it must not be able to pass the framework's top level (SAMM: three questions worth up
    to 1 each make a stream's 3, its top level)."""
    if not level_numbers:
        return
    top = level_numbers[-1]
    highest: dict[str, float] = {}
    for question in questions:
        if question.type == "choice" and not question.options:
            continue  # its options were refused: already said
        most = question.weight * question.highest_value(top)
        highest[question.dimension] = highest.get(question.dimension, 0.0) + most
    for dimension, most in highest.items():
        if most > top + 1e-9:
            reader.problem(
                f"{path}.aggregation",
                f"sum: the answers to its {dimension} questions can add up to "
                f"{limits.number_shown(round(most, 6))}, above the top level {top} (give its "
                "options smaller values, or use fewer questions or smaller weights)",
            )


def _read_question(
    reader: _Reader,
    raw: Any,
    path: str,
    capability: str,
    level_numbers: list[int],
    dimension_codes: set[str],
    profile_codes: set[str],
) -> QuestionSpec | None:
    path = _labelled(path, raw)
    data = reader.mapping(raw, path, _QUESTION_KEYS)
    if data is None:
        return None
    code = reader.text(data, "code", path, limits.QUESTION_CODE, code=True)
    dimension = reader.text(data, "dimension", path, limits.DIMENSION_CODE)
    if dimension and dimension not in dimension_codes:
        known = ", ".join(sorted(dimension_codes))
        reader.problem(
            f"{path}.dimension", f"unknown dimension {limits.shown(dimension)} (known: {known})"
        )
    kind = reader.text(data, "type", path, _TYPE)
    weight = reader.number(data, "weight", path, limits.QUESTION_WEIGHT, 1.0)
    options: dict[int, str] = {}
    thresholds: dict[int, float] = {}
    higher_is_better = reader.boolean(data, "higher_is_better", path, True)
    level = None
    if kind == "yes_no":
        level = _read_yes_no_level(reader, data, path, level_numbers)
        if level is not None:
            options = {level: "Yes", level_numbers[0]: "No"}
        for key in ("options", "thresholds", "unit", "higher_is_better"):
            if key in data:
                reader.problem(
                    f"{path}.{key}",
                    f"'{key}' does not belong to a yes_no question (its answers "
                    "are yes and no; 'level' says which level its activity is)",
                )
    elif "level" in data and kind in ("choice", "numeric"):
        reader.problem(
            f"{path}.level",
            f"'level' belongs to yes_no questions: a {kind} question's level is the one its "
            "answer reaches",
        )
    option_values: dict[int, float] = {}
    if kind == "choice" and isinstance(data.get("options"), list):
        options, option_values = _read_valued_options(
            reader, data["options"], f"{path}.options", level_numbers
        )
        for key in ("thresholds", "unit", "higher_is_better"):
            if key in data:
                reader.problem(f"{path}.{key}", f"'{key}' belongs to numeric questions, not choice")
    elif kind == "choice":
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
    elif kind and kind != "yes_no":
        reader.problem(f"{path}.type", f"unknown type '{kind}' (choice, numeric or yes_no)")
    return QuestionSpec(
        code=code,
        capability=capability,
        dimension=dimension,
        type=kind,
        text=reader.text(data, "text", path, limits.QUESTION_TEXT),
        help=reader.text(data, "help", path, limits.QUESTION_HELP, required=False),
        weight=1.0 if weight is None else float(weight),
        options=options,
        unit=reader.text(data, "unit", path, limits.MEASUREMENT_UNIT, required=False),
        higher_is_better=higher_is_better,
        thresholds=thresholds,
        level=level,
        option_values=option_values,
        profiles=_read_question_profiles(
            reader, data.get("profiles"), f"{path}.profiles", profile_codes
        ),
    )


def _read_yes_no_level(
    reader: _Reader, data: dict[str, Any], path: str, level_numbers: list[int]
) -> int | None:
    """A yes_no question's `level`: one of the framework's levels above the lowest (the
    lowest is reached without doing anything, so "yes" and "no" would count the same)."""
    if "level" not in data:
        reader.problem(path, "a yes_no question needs 'level': the level whose activity it is")
        return None
    known = len(reader.problems)
    number = reader.integer(data, "level", path, limits.LEVEL_NUMBER)
    if len(reader.problems) > known:  # not a whole number: already said
        return None
    above = level_numbers[1:]
    if number not in above:
        shown = f"{above[0]}–{above[-1]}" if above else "none"
        reader.problem(
            f"{path}.level",
            f"level {number} is not a level above the framework's lowest ({shown})",
        )
        return None
    return number


# A question's type names one of a few kinds; any text up to this length is read, then checked.
_TYPE = TextLimit("type", 16)


def _level_keyed(reader: _Reader, raw: Any, path: str) -> dict[int, Any]:
    if not isinstance(raw, dict):
        reader.problem(path, f"expected a mapping of level number to value, got {_kind(raw)}")
        return {}
    result = {}
    for key, value in raw.items():
        # Only a whole number, as written: int() would also read "1_0", " 1 " and True.
        if isinstance(key, int) and not isinstance(key, bool):
            number = key
        elif isinstance(key, str) and key.isascii() and key.isdigit():
            number = int(key)
        else:
            shown = limits.shown(str(key), 24)
            reader.problem(f"{path}.{shown.strip(chr(39))}", f"{shown} is not a level number")
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
        if isinstance(text, bool):
            reader.problem(f"{path}.{number}", _boolean_read_as_text("option text", text))
            continue
        if not isinstance(text, str) or not text.strip():
            reader.problem(f"{path}.{number}", "option text must not be empty")
            continue
        problem = limits.text_problem(text.strip(), limits.OPTION_TEXT)
        if problem:
            reader.problem(f"{path}.{number}", f"{limits.OPTION_TEXT.label} {problem}")
    return {n: str(t).strip() for n, t in sorted(options.items()) if n in level_numbers}


_VALUED_OPTION_KEYS = {"text": True, "value": True}


def _read_valued_options(
    reader: _Reader, raw: list[Any], path: str, level_numbers: list[int]
) -> tuple[dict[int, str], dict[int, float]]:
    """A choice question's options as a list, each with `text` and `value`: a level or a
    fraction of one (SAMM: 0, 0.25, 0.5, 1), within the framework's levels, for as many or
    as few levels as the model has options. Returns {option number: text} and {option
    number: value}, numbered from 1 in the order listed (the number an answer stores)."""
    if len(raw) < 2:
        reader.problem(path, f"a choice question needs at least two options, got {len(raw)}")
    most = limits.LEVEL_NUMBER.maximum
    if len(raw) > most:
        reader.problem(path, f"at most {most} options, got {len(raw):,}")
        return {}, {}
    lowest, top = (level_numbers[0], level_numbers[-1]) if level_numbers else (0, 0)
    texts: dict[int, str] = {}
    values: dict[int, float] = {}
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        number = index + 1
        where = f"{path}[{index}]"
        data = reader.mapping(item, where, _VALUED_OPTION_KEYS)
        if data is None:
            continue
        text = data.get("text")
        if text is None:
            if "text" in data:
                reader.problem(f"{where}.text", "must not be empty")
            text = ""
        elif isinstance(text, bool):
            reader.problem(f"{where}.text", _boolean_read_as_text("option text", text))
            text = ""
        elif "text" in data:
            text = reader.text(data, "text", where, limits.OPTION_TEXT)
        if text:
            folded = text.casefold()
            if folded in seen:
                reader.problem(
                    f"{where}.text",
                    f"option text {limits.shown(text)} is also option {seen[folded]}'s: "
                    "each option needs its own text",
                )
            seen.setdefault(folded, number)
        value: Any = data.get("value")
        if "value" not in data or not reader._is_number(value, f"{where}.value", "a number"):
            continue
        if isinstance(value, float) and not math.isfinite(value):
            reader.problem(f"{where}.value", f"must be a finite number, got {_yaml_number(value)}")
            continue
        if not lowest <= value <= top:
            reader.problem(
                f"{where}.value",
                f"{_yaml_number(value)} is not within the framework's levels ({lowest}–{top})",
            )
            continue
        texts[number] = str(text)
        values[number] = float(value)
    return texts, values


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
        if not reader._is_number(value, f"{path}.{number}", "a number"):
            continue
        problem = limits.number_problem(value, limits.THRESHOLD, _yaml_number(value))
        if problem:
            reader.problem(f"{path}.{number}", problem)
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
