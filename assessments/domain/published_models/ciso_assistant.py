"""A maturity-scored library of CISO Assistant's open catalogue (github.com/intuitem/
ciso-assistant-community, backend/library/libraries/*.yaml): `objects.framework` with its
scale (`scores_definition`: score, name, description) and its `requirement_nodes`, a tree
(`urn`, `parent_urn`) whose `assessable` nodes are the requirements answered with a score.

CISO Assistant scores a set of requirements by the mean of their scores ("not applicable"
left out), so the framework is `weighted_mean` on the library's own scale: each requirement
becomes a choice question with one option per score, grouped into capabilities by its
nearest non-assessable ancestor (NIST CSF 2.0: a category such as GV.OC, whose name begins
with its function's). Requirements with no such ancestor form one capability named after the
framework.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from assessments.domain import limits
from assessments.domain.aggregation import WEIGHTED_MEAN
from assessments.domain.framework_file import FrameworkError

from . import Conversion, shortened, unique_code

DIMENSION_CODE = "requirements"
TOP_LEVEL = "top level"
# What else a requirement node carries, and what the import says of it.
NOT_CARRIED = {
    "reference_controls": "reference controls",
    "threats": "threats",
    "questions": "CISO Assistant's own questions and answer choices (each requirement is "
    "asked on the library's score scale instead)",
    "translations": "translations (the library's default language is imported)",
}
CARRIED = {"urn", "parent_urn", "assessable", "depth", "ref_id", "name", "description"}
CARRIED |= {"annotation", "weight", "implementation_groups"}


def ciso_assistant_framework(documents: list[Any], source: str) -> Conversion:
    """The Ladder framework of a CISO Assistant library file; FrameworkError lists every
    problem as "file: objects.framework…: what is wrong"."""
    library, framework = _framework_of(documents, source)
    problems: list[str] = []
    shortened: Counter[str] = Counter()
    levels = _levels(framework, source, problems, shortened)
    nodes = framework.get("requirement_nodes")
    if not isinstance(nodes, list) or not nodes:
        problems.append(f"{source}: objects.framework.requirement_nodes: expected a list of nodes")
        nodes = []
    by_urn = {node["urn"]: node for node in nodes if isinstance(node, dict) and "urn" in node}

    profiles = _profiles(framework, shortened)
    ungrouped = 0
    groups: dict[str, list[dict[str, Any]]] = {}
    skipped: Counter[str] = Counter()
    weights_left = 0
    for index, node in enumerate(nodes):
        where = f"{source}: objects.framework.requirement_nodes[{index}]"
        if not isinstance(node, dict) or "urn" not in node:
            problems.append(f"{where}: expected a node with a urn")
            continue
        if not node.get("assessable"):
            continue
        skipped.update(key for key in node if key not in CARRIED)
        if profiles and not _profiles_of(node, profiles):
            ungrouped += 1
        group = _group_of(node, by_urn)
        groups.setdefault(group["urn"] if group else TOP_LEVEL, []).append(node)
        if "weight" in node and not _positive(node["weight"]):
            weights_left += 1
    if not groups and not problems:
        problems.append(f"{source}: objects.framework.requirement_nodes: no assessable node")
    if problems:
        raise FrameworkError(problems)

    capability_codes: set[str] = set()
    question_codes: set[str] = set()
    capabilities = []
    for position, (group_urn, requirements) in enumerate(groups.items(), start=1):
        group = by_urn.get(group_urn)
        code = _code(group.get("ref_id") if group else None, f"G{position}", capability_codes)
        name = _group_name(group, by_urn) if group else f"{framework.get('name')} ({TOP_LEVEL})"
        above = _ancestors(group, by_urn, shortened) if group else []
        capabilities.append(
            {
                "code": code,
                "name": _fit(name, limits.CAPABILITY_NAME.max_length, shortened, "names"),
                **({"group": above} if above else {}),
                **(
                    {
                        "description": _fit(
                            group["description"],
                            limits.DESCRIPTION.max_length,
                            shortened,
                            "descriptions",
                        )
                    }
                    if group and isinstance(group.get("description"), str)
                    else {}
                ),
                "questions": [
                    _question(node, code, n, levels, question_codes, shortened, profiles)
                    for n, node in enumerate(requirements, start=1)
                ],
            }
        )

    header_description = " ".join(
        str(part).strip()
        for part in (framework.get("description"), library.get("copyright"))
        if isinstance(part, str) and part.strip()
    )
    ladder = {
        "framework": {
            "code": _framework_code(framework, library),
            "version": str(library.get("version", "1")),
            "name": _fit(
                str(framework.get("name") or library.get("name")),
                limits.FRAMEWORK_NAME.max_length,
                shortened,
                "names",
            ),
            "aggregation": WEIGHTED_MEAN,
            **(
                {
                    "description": _fit(
                        header_description,
                        limits.DESCRIPTION.max_length,
                        shortened,
                        "descriptions",
                    )
                }
                if header_description
                else {}
            ),
        },
        "levels": [
            {"number": number, "name": name, **({"description": text} if text else {})}
            for number, (name, text) in levels.items()
        ],
        "dimensions": [{"code": DIMENSION_CODE, "name": "Requirements"}],
        **(
            {
                "profiles": [
                    {"code": code, "name": name, **({"description": text} if text else {})}
                    for code, name, text in profiles.values()
                ]
            }
            if profiles
            else {}
        ),
        "capabilities": capabilities,
    }
    lines = [
        "hierarchy: each requirement's nearest group is its capability, the groups above it "
        "the capability's groups (its name begins with the top one)"
    ]
    lines += [
        f"{NOT_CARRIED.get(key, f'{key} (a field this import does not know)')}: in {count} "
        f"requirement{'s' if count != 1 else ''}"
        for key, count in sorted(skipped.items())
    ]
    if weights_left:
        lines.append(f"weights that are not positive numbers: {weights_left} (weight 1 used)")
    if ungrouped:
        lines.append(
            f"requirements in no implementation group: {ungrouped} (CISO Assistant leaves "
            "them out once groups are selected; Ladder asks them in every profile)"
        )
    lines += [
        f"{what} shortened to fit their limit: {count}" for what, count in sorted(shortened.items())
    ]
    return Conversion(ladder, tuple(lines))


def _framework_of(documents: list[Any], source: str) -> tuple[dict[str, Any], dict[str, Any]]:
    found = [document for document in documents if document is not None]
    library = found[0] if len(found) == 1 and isinstance(found[0], dict) else {}
    objects = library.get("objects")
    framework = objects.get("framework") if isinstance(objects, dict) else None
    if isinstance(framework, list) and len(framework) == 1:
        framework = framework[0]
    if not isinstance(framework, dict):
        raise FrameworkError(
            [
                f"{source}: not a CISO Assistant framework library: expected one YAML document "
                "with objects.framework (as in backend/library/libraries/*.yaml of "
                "ciso-assistant-community)"
            ]
        )
    return library, framework


def _levels(
    framework: dict[str, Any], source: str, problems: list[str], shortened: Counter[str]
) -> dict[int, tuple[str, str]]:
    where = f"{source}: objects.framework.scores_definition"
    definitions = framework.get("scores_definition")
    if not isinstance(definitions, list) or not definitions:
        problems.append(
            f"{where}: missing — only maturity-scored libraries (with a score scale) can be "
            "imported"
        )
        return {}
    levels: dict[int, tuple[str, str]] = {}
    for index, item in enumerate(definitions):
        score = item.get("score") if isinstance(item, dict) else None
        if isinstance(score, bool) or not isinstance(score, int):
            problems.append(f"{where}[{index}].score: expected a whole number, got {score!r}")
            continue
        name = str(item.get("name") or f"Score {score}").strip()
        description = item.get("description")
        levels[score] = (
            _fit(name, limits.LEVEL_NAME.max_length, shortened, "names"),
            _fit(str(description).strip(), limits.DESCRIPTION.max_length, shortened, "descriptions")
            if isinstance(description, str)
            else "",
        )
    return dict(sorted(levels.items()))


def _profiles(
    framework: dict[str, Any], shortened: Counter[str]
) -> dict[str, tuple[str, str, str]]:
    """The library's implementation groups as Ladder profiles: ref_id → (code, name,
    description), in the library's order."""
    definitions = framework.get("implementation_groups_definition")
    profiles: dict[str, tuple[str, str, str]] = {}
    taken: set[str] = set()
    for index, item in enumerate(definitions if isinstance(definitions, list) else []):
        ref = item.get("ref_id") if isinstance(item, dict) else None
        if not isinstance(ref, str | int) or str(ref) in profiles:
            continue
        name = str(item.get("name") or ref).strip()
        description = item.get("description")
        profiles[str(ref)] = (
            _code(str(ref), f"profile-{index + 1}", taken, most=limits.PROFILE_CODE.max_length),
            _fit(name, limits.PROFILE_NAME.max_length, shortened, "names"),
            _fit(description.strip(), limits.DESCRIPTION.max_length, shortened, "descriptions")
            if isinstance(description, str)
            else "",
        )
    return profiles


def _profiles_of(node: dict[str, Any], profiles: dict[str, tuple[str, str, str]]) -> list[str]:
    """The Ladder codes of the implementation groups the requirement is in."""
    groups = node.get("implementation_groups")
    return [
        profiles[str(group)][0]
        for group in (groups if isinstance(groups, list) else [])
        if str(group) in profiles
    ]


def _group_of(node: dict[str, Any], by_urn: dict[str, Any]) -> dict[str, Any] | None:
    """The requirement's nearest non-assessable ancestor, if any."""
    seen = set()
    parent = by_urn.get(str(node.get("parent_urn")))
    while parent is not None and parent.get("assessable") and parent["urn"] not in seen:
        seen.add(parent["urn"])
        parent = by_urn.get(str(parent.get("parent_urn")))
    return None if parent is None or parent.get("assessable") else parent


def _ancestors(node: dict[str, Any], by_urn: dict[str, Any], counted: Counter[str]) -> list[str]:
    """The names of the node's ancestors, outermost first (at most MAX_GROUP_DEPTH, the
    innermost kept)."""
    names: list[str] = []
    seen = {node["urn"]}
    parent = by_urn.get(str(node.get("parent_urn")))
    while parent is not None and parent["urn"] not in seen:
        seen.add(parent["urn"])
        names.insert(0, _fit(_label(parent), limits.GROUP_NAME.max_length, counted, "names"))
        parent = by_urn.get(str(parent.get("parent_urn")))
    return names[-limits.MAX_GROUP_DEPTH :]


def _group_name(group: dict[str, Any], by_urn: dict[str, Any]) -> str:
    own = _label(group)
    top, seen = group, set()
    while top.get("parent_urn") in by_urn and top["urn"] not in seen:
        seen.add(top["urn"])
        top = by_urn[top["parent_urn"]]
    return own if top is group else f"{_label(top)}: {own}"


def _label(node: dict[str, Any]) -> str:
    for key in ("name", "description", "ref_id"):
        if isinstance(node.get(key), str) and node[key].strip():
            return " ".join(node[key].split())
    return str(node.get("urn"))


def _question(
    node: dict[str, Any],
    capability: str,
    n: int,
    levels: dict[int, tuple[str, str]],
    taken: set[str],
    shortened: Counter[str],
    profiles: dict[str, tuple[str, str, str]],
) -> dict[str, Any]:
    parts = [
        node[key].strip()
        for key in ("name", "description")
        if isinstance(node.get(key), str) and node[key].strip()
    ]
    text = " — ".join(parts) or str(node.get("ref_id") or node["urn"])
    question: dict[str, Any] = {
        "code": _code(node.get("ref_id"), f"{capability}-{n}", taken, most=64),
        "dimension": DIMENSION_CODE,
        "type": "choice",
        "text": _fit(text, limits.QUESTION_TEXT.max_length, shortened, "question texts"),
        "options": {
            number: _fit(
                f"{name}: {description}" if description else name,
                limits.OPTION_TEXT.max_length,
                shortened,
                "option texts",
            )
            for number, (name, description) in levels.items()
        },
    }
    if isinstance(node.get("annotation"), str) and node["annotation"].strip():
        question["help"] = _fit(
            node["annotation"].strip(), limits.QUESTION_HELP.max_length, shortened, "help texts"
        )
    if _positive(node.get("weight")):
        question["weight"] = node["weight"]
    if _profiles_of(node, profiles):
        question["profiles"] = _profiles_of(node, profiles)
    return question


def _framework_code(framework: dict[str, Any], library: dict[str, Any]) -> str:
    """The framework's ref_id when it is a valid code, else the last part of its urn
    (urn:intuitem:risk:framework:tisax-v6.0.2 → tisax-v6.0.2), else the library's."""
    for wanted in (framework.get("ref_id"), framework.get("urn"), library.get("urn")):
        tail = str(wanted).rsplit(":", 1)[-1] if isinstance(wanted, str) else None
        code = _code(tail, "", most=limits.FRAMEWORK_CODE.max_length)
        if code:
            return code
    return "ciso-assistant"


def _code(wanted: Any, fallback: str, taken: set[str] | None = None, most: int = 32) -> str:
    text = str(wanted).strip() if isinstance(wanted, str | int) else ""
    code = text if text and len(text) <= most and limits.CODE_PATTERN.fullmatch(text) else fallback
    return code if taken is None else unique_code(code, taken)


def _fit(text: str, most: int, counted: Counter[str], what: str) -> str:
    if len(text) > most:
        counted[what] += 1
    return shortened(text, most)


def _positive(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0
