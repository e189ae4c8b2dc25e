"""OWASP SAMM v2, from its core model repository (github.com/owaspsamm/core, `model/`): one
YAML document per element, each with its `type` (`Function`, `Practice`, `Stream`,
`MaturityLevel`, `PracticeLevel`, `Activity`, `Question`, `AnswerSet`), linked by `id`s.

SAMM scores a stream by the sum of its questions' answer values (one question per level,
each answer worth 0, 0.25, 0.5 or 1) and a practice by the mean of its two streams. So each
practice becomes a capability scored `sum`, its streams the dimensions `stream-a` and
`stream-b`, each question a choice question whose options carry the answer set's values, on
SAMM's levels 0–3: a capability's score is then SAMM's practice score.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from assessments.domain import limits
from assessments.domain.aggregation import SUM
from assessments.domain.framework_file import FrameworkError

from . import Conversion

# SAMM's maturity levels have descriptions, no names: these name them by their aim.
LEVEL_NAMES = {
    0: "Not started",
    1: "Ad hoc",
    2: "Consistent and repeatable",
    3: "Continuously improving",
}
LEVEL_ZERO = "The implicit starting point: the practice's activities are not done."
STREAMS = {"A": "stream-a", "B": "stream-b"}
TYPES: tuple[str, ...] = ("Function", "Practice", "Stream", "MaturityLevel", "PracticeLevel")
TYPES += ("Activity", "Question", "AnswerSet")
NOT_CARRIED = (
    "nothing of the business functions but their names: each practice's capability is in "
    "its function's group, and its name begins with it",
    "activities' long descriptions, benefits, results, metrics, costs, personnel, notes and "
    "related activities (each question's help names its activity and what it is for)",
    "functions' colours and logos, practices' assignees and progress",
)


def samm_framework(documents: list[Any], source: str) -> Conversion:
    """The Ladder framework of SAMM's model documents; FrameworkError lists every problem as
    "model: Question <id> ("its text"): what is wrong"."""
    problems: list[str] = []
    by_type: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for document in documents:
        if isinstance(document, dict) and document.get("type") in TYPES and "id" in document:
            by_type[document["type"]][str(document["id"])] = document
    if not by_type["Practice"] or not by_type["Question"]:
        raise FrameworkError(
            [
                f"{source}: not an OWASP SAMM model: expected the YAML files of the `model` "
                "folder of github.com/owaspsamm/core (Practice, Stream, Activity, Question "
                "and AnswerSet documents)"
            ]
        )

    def linked(kind: str, link: Any, owner: str) -> dict[str, Any] | None:
        found = by_type[kind].get(str(link))
        if found is None:
            problems.append(f"{source}: {owner}: its {kind} {link!r} is not in the model")
        return found

    levels = {
        int(level["number"]): level
        for level in by_type["MaturityLevel"].values()
        if isinstance(level.get("number"), int) and not isinstance(level.get("number"), bool)
    }
    if sorted(levels) != [1, 2, 3]:
        problems.append(
            f"{source}: MaturityLevel: expected levels 1, 2 and 3, got {sorted(levels)}"
        )

    streams_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for stream in by_type["Stream"].values():
        streams_of[str(stream.get("practice"))].append(stream)
    questions_of: dict[str, list[tuple[int, int, dict[str, Any]]]] = defaultdict(list)
    answer_texts_read_as_booleans = 0
    weights: set[Any] = set()
    for question in by_type["Question"].values():
        owner = f"Question {question['id']} ({str(question.get('text', ''))[:40]!r})"
        activity = linked("Activity", question.get("activity"), owner)
        answer_set = linked("AnswerSet", question.get("answerSet"), owner)
        if activity is None or answer_set is None:
            continue
        its_stream = linked("Stream", activity.get("stream"), f"Activity {activity['id']}")
        its_level = linked("PracticeLevel", activity.get("level"), f"Activity {activity['id']}")
        if its_stream is None or its_level is None:
            continue
        maturity = by_type["MaturityLevel"].get(str(its_level.get("maturityLevel")), {})
        options, booleans = _options(answer_set, source, problems)
        weights |= {v.get("weight") for v in answer_set.get("values") or [] if isinstance(v, dict)}
        answer_texts_read_as_booleans += booleans
        questions_of[str(its_stream["id"])].append(
            (
                int(maturity.get("number", 0)),
                int(question.get("order", 1)),
                {
                    "text": str(question.get("text", "")).strip(),
                    "help": _help(activity, its_level, question),
                    "options": options,
                },
            )
        )

    functions = by_type["Function"]
    capabilities = []
    codes: set[str] = set()
    for practice in sorted(
        by_type["Practice"].values(),
        key=lambda p: (
            functions.get(str(p.get("function")), {}).get("order", 0),
            p.get("order", 0),
        ),
    ):
        function = linked("Function", practice.get("function"), f"Practice {practice.get('name')}")
        if function is None:
            continue
        code = f"{str(function.get('name', '?'))[:1]}-{practice.get('shortName', '?')}"
        if code in codes or not limits.CODE_PATTERN.fullmatch(code):
            problems.append(f"{source}: Practice {practice.get('name')}: code {code!r} is taken")
            continue
        codes.add(code)
        streams = sorted(streams_of[str(practice["id"])], key=lambda s: str(s.get("letter")))
        if [s.get("letter") for s in streams] != ["A", "B"]:
            problems.append(
                f"{source}: Practice {practice.get('name')}: expected streams A and B, got "
                f"{[s.get('letter') for s in streams]}"
            )
            continue
        questions = []
        for stream in streams:
            letter = stream["letter"]
            for number, order, question in sorted(
                questions_of[str(stream["id"])], key=lambda q: (q[0], q[1])
            ):
                suffix = f"{number}" if order == 1 else f"{number}-{order}"
                questions.append(
                    {
                        "code": f"{code}-{letter}-{suffix}",
                        "dimension": STREAMS[letter],
                        "type": "choice",
                        **question,
                    }
                )
        capabilities.append(
            {
                "code": code,
                "name": f"{function.get('name')}: {practice.get('name')}",
                "group": str(function.get("name")),
                "description": " ".join(
                    [str(practice.get("shortDescription", "")).strip()]
                    + [f"Stream {s['letter']}: {s.get('name')}." for s in streams]
                ),
                "questions": questions,
            }
        )
    if problems:
        raise FrameworkError(problems)

    model = str(next(iter(functions.values()), {}).get("model", "SAMM"))
    version = samm_version(model)
    framework = {
        "framework": {
            "code": "samm",
            "version": version,
            "name": "OWASP Software Assurance Maturity Model (SAMM)",
            "aggregation": SUM,
            "description": (
                f"OWASP SAMM v{version}: {len(capabilities)} security practices in "
                f"{len(functions)} business functions, each with two streams of three "
                "levels. A stream's score is the sum of its answers' values, a practice's the "
                "mean of its two streams."
            ),
        },
        "levels": [
            {
                "number": number,
                "name": name,
                "description": str(levels[number].get("description", "")).strip()
                if number in levels
                else LEVEL_ZERO,
            }
            for number, name in LEVEL_NAMES.items()
        ],
        "dimensions": [
            {"code": code, "name": f"Stream {letter}"} for letter, code in STREAMS.items()
        ],
        "capabilities": capabilities,
    }
    lines = list(NOT_CARRIED)
    lines.append(
        "answer weights: all 1, as every answer counts its value"
        if weights <= {1, None}
        else f"answer weights other than 1 ({sorted(map(str, weights - {1, None}))}): every "
        "answer counts its value"
    )
    if answer_texts_read_as_booleans:
        lines.append(
            f"answer texts YAML reads as true/false (No, Yes): {answer_texts_read_as_booleans}, "
            "shown as No and Yes"
        )
    return Conversion(framework, tuple(lines))


def samm_version(model: str) -> str:
    """The version as SAMM publishes it ("SAMM v2.0") from the model identifier its files
    link to (`model: SAMM20`): "2.0"; an identifier of another shape is kept as it is."""
    found = re.fullmatch(r"SAMM(\d)(\d+)", model.strip())
    return f"{found[1]}.{found[2]}" if found else model


def _options(
    answer_set: dict[str, Any], source: str, problems: list[str]
) -> tuple[list[dict[str, Any]], int]:
    values = answer_set.get("values")
    if not isinstance(values, list) or len(values) < 2:
        problems.append(f"{source}: AnswerSet {answer_set['id']}: expected at least two values")
        return [], 0
    options = []
    booleans = 0
    for item in sorted((v for v in values if isinstance(v, dict)), key=lambda v: v.get("order", 0)):
        text = item.get("text")
        if isinstance(text, bool):  # YAML 1.1 reads SAMM's "No" as false
            text, booleans = ("Yes" if text else "No"), booleans + 1
        options.append({"text": str(text).strip(), "value": item.get("value")})
    return options, booleans


def _help(activity: dict[str, Any], level: dict[str, Any], question: dict[str, Any]) -> str:
    parts = [
        f"Activity: {str(activity.get('title', '')).strip()}",
        str(activity.get("shortDescription") or "").strip(),
        f"Objective of this level: {str(level.get('objective') or '').strip()}",
    ]
    quality = question.get("quality")
    if isinstance(quality, list) and quality:
        parts.append("Quality criteria:\n" + "\n".join(f"- {str(q).strip()}" for q in quality))
    # The loader refuses a help text past its limit, naming the question: SAMM's are short.
    return "\n\n".join(part for part in parts if part.strip())
