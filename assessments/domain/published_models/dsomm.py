"""OWASP DevSecOps Maturity Model (DSOMM), from its published data file, `generated/model.yaml`
of github.com/devsecopsmaturitymodel/DevSecOps-MaturityModel-data: a metadata document
(`meta: {version, released, publisher}`), then dimension → sub-dimension → activity, each
activity with its `level` (1–5).

DSOMM's rule is the gate: a sub-dimension reaches a level when every activity of that level
and below is done. So each sub-dimension becomes a capability scored `gated`, each activity
a yes/no question of its level, on DSOMM's levels 0–5 (0: not even level 1 done). Ladder has
no capability groups yet, so DSOMM's dimensions are kept in the capabilities' names.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from assessments.domain import limits
from assessments.domain.aggregation import GATED
from assessments.domain.framework_file import FrameworkError

from . import Conversion, shortened, unique_code

# The level labels of DSOMM's own application (src/assets/YAML/meta.yaml of
# DevSecOps-MaturityModel), which its data file does not repeat.
LEVELS = {
    0: "Not started",
    1: "Basic understanding of security practices",
    2: "Adoption of basic security practices",
    3: "High adoption of security practices",
    4: "Very high adoption of security practices",
    5: "Advanced deployment of security practices at scale",
}
DIMENSION_CODE = "activities"
# An activity's fields that become the question's help, in this order.
HELP_FIELDS: tuple[tuple[str, str], ...] = (
    ("description", ""),
    ("risk", "Risk: "),
    ("measure", "Measure: "),
    ("assessment", "How it is assessed: "),
)
# What else an activity carries, and what the import says of it.
_TEAM_STATE = "a team's own answers (isImplemented, evidence, comments)"
NOT_CARRIED = {
    "difficultyOfImplementation": "difficulty of implementation (knowledge, time, resources)",
    "usefulness": "usefulness",
    "implementation": "implementation tools and links",
    "references": "references to SAMM, ISO 27001 and OpenCRE",
    "dependsOn": "dependencies between activities (Ladder's gate follows levels only)",
    "tags": "tags",
    "isImplemented": _TEAM_STATE,
    "evidence": _TEAM_STATE,
    "comments": _TEAM_STATE,
    "comment": _TEAM_STATE,
    "meta": "implementation guides (meta)",
    "credits": "credits",
}
CARRIED = {"uuid", "level", *(name for name, _ in HELP_FIELDS)}
_SMALL_WORDS = {"and", "for", "of", "the", "in", "on", "to"}


def dsomm_framework(documents: list[Any], source: str) -> Conversion:
    """The Ladder framework of a DSOMM model file's documents; FrameworkError lists every
    problem as "file: dimension > sub-dimension > activity: what is wrong"."""
    problems: list[str] = []
    meta, model = _split(documents, source)
    version = str(meta.get("version") or "").strip()
    if not version:
        problems.append(f"{source}: meta.version: missing (the model's version, e.g. 4.3.1)")

    capability_codes: set[str] = set()
    question_codes: set[str] = set()
    capabilities = []
    dimensions = sub_dimensions = activities = shortened = 0
    skipped: Counter[str] = Counter()
    for dimension, subs in model.items():
        where = f"{source}: {dimension}"
        if not isinstance(subs, dict) or not subs:
            problems.append(f"{where}: expected its sub-dimensions, got {_kind(subs)}")
            continue
        dimensions += 1
        for sub, acts in subs.items():
            where = f"{source}: {dimension} > {sub}"
            if not isinstance(acts, dict) or not acts:
                problems.append(f"{where}: expected its activities, got {_kind(acts)}")
                continue
            sub_dimensions += 1
            code = unique_code(f"{_initials(dimension)}-{_initials(sub)}", capability_codes)
            questions = []
            for order, (name, activity) in enumerate(acts.items()):
                here = f"{where} > {name}"
                if not isinstance(activity, dict):
                    problems.append(f"{here}: expected an activity, got {_kind(activity)}")
                    continue
                level = activity.get("level")
                if isinstance(level, bool) or level not in range(1, 6):
                    problems.append(f"{here}: level: must be 1, 2, 3, 4 or 5, got {level!r}")
                    continue
                help_text, cut = _help(activity)
                shortened += cut
                skipped.update(key for key in activity if key not in CARRIED)
                questions.append(
                    (
                        level,
                        order,
                        {
                            "code": unique_code(
                                f"{code}-{_uuid_prefix(activity.get('uuid'), order)}",
                                question_codes,
                            ),
                            "dimension": DIMENSION_CODE,
                            "type": "yes_no",
                            "level": level,
                            "text": str(name).strip(),
                            **({"help": help_text} if help_text else {}),
                        },
                    )
                )
            activities += len(questions)
            capabilities.append(
                {
                    "code": code,
                    "name": f"{dimension}: {sub}",
                    "group": str(dimension),
                    "description": f"DSOMM dimension {dimension}, sub-dimension {sub}.",
                    "questions": [question for _, _, question in sorted(questions)],
                }
            )
    if problems:
        raise FrameworkError(problems)

    framework = {
        "framework": {
            "code": "dsomm",
            "version": version,
            "name": "OWASP DevSecOps Maturity Model (DSOMM)",
            "aggregation": GATED,
            "description": (
                f"DSOMM {version}"
                + (f", released {meta['released']}" if meta.get("released") else "")
                + (f", published at {meta['publisher']}" if meta.get("publisher") else "")
                + f": {activities} activities in {sub_dimensions} sub-dimensions of "
                f"{dimensions} dimensions. A sub-dimension reaches a level when every "
                "activity of that level and below is done."
            ),
        },
        "levels": [{"number": number, "name": name} for number, name in LEVELS.items()],
        "dimensions": [
            {
                "code": DIMENSION_CODE,
                "name": "Activities",
                "description": "Whether each DSOMM activity is done.",
            }
        ],
        "capabilities": capabilities,
    }
    return Conversion(
        framework, tuple(_not_carried(dimensions, sub_dimensions, skipped, shortened))
    )


def _split(documents: list[Any], source: str) -> tuple[dict[str, Any], dict[str, Any]]:
    found = [document for document in documents if document is not None]
    meta: dict[str, Any] = {}
    if found and isinstance(found[0], dict) and set(found[0]) == {"meta"}:
        meta = found.pop(0)["meta"] if isinstance(found[0]["meta"], dict) else {}
    if (
        len(found) == 1
        and isinstance(found[0], dict)
        and {"framework", "capabilities"} <= set(found[0])
    ):
        raise FrameworkError(
            [
                f"{source}: this is a Ladder framework file, not a DSOMM model: load it with "
                "load_framework"
            ]
        )
    if len(found) != 1 or not isinstance(found[0], dict) or not found[0]:
        raise FrameworkError(
            [
                f"{source}: not a DSOMM model file: expected its metadata (meta: version) and "
                "then one mapping of dimensions to sub-dimensions to activities, as in "
                "generated/model.yaml of DevSecOps-MaturityModel-data"
            ]
        )
    return meta, found[0]


def _help(activity: dict[str, Any]) -> tuple[str, int]:
    """The activity's description, risk, measure and how it is assessed, as help text;
    shortened (and counted) where it would pass the help text's limit."""
    parts = [
        prefix + str(activity[key]).strip()
        for key, prefix in HELP_FIELDS
        if isinstance(activity.get(key), str) and activity[key].strip()
    ]
    text = "\n\n".join(parts)
    most = limits.QUESTION_HELP.max_length
    return shortened(text, most), int(len(text) > most)


def _not_carried(dimensions: int, subs: int, skipped: Counter[str], shortened: int) -> list[str]:
    lines = [
        f"dimensions: DSOMM groups its {subs} sub-dimensions in {dimensions} dimensions; each "
        "is a group of capabilities (not a Ladder dimension, which scores within a capability) "
        "and each capability's name begins with it"
    ]
    described: Counter[str] = Counter()
    for key, count in skipped.items():
        label = NOT_CARRIED.get(key, f"{key} (a field this import does not know)")
        described[label] = max(described[label], count)
    for label, count in sorted(described.items()):
        lines.append(f"{label}: in {count} activit{'y' if count == 1 else 'ies'}")
    if shortened:
        lines.append(
            f"help shortened to {limits.QUESTION_HELP.max_length:,} characters: "
            f"{shortened} activit{'y' if shortened == 1 else 'ies'}"
        )
    return lines


def _initials(name: Any) -> str:
    words = [w for w in re.findall(r"[A-Za-z0-9]+", str(name)) if w.lower() not in _SMALL_WORDS]
    return "".join(word[0] for word in words).upper() or "X"


def _uuid_prefix(uuid: Any, order: int) -> str:
    text = str(uuid or "")
    return text[:8] if re.fullmatch(r"[0-9a-fA-F]{8}", text[:8]) else str(order + 1)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an empty mapping" if not value else "a mapping"
    if isinstance(value, list):
        return "an empty list" if not value else "a list"
    return "text" if isinstance(value, str) else repr(value)
