"""Importing tidy answers: every row loads, or none does.

Rows come from a CSV (`read_csv_rows`), a tidy XLSX (`read_xlsx_rows`), an offline
questionnaire workbook (assessments/offline_workbook/reader.py) or any other reader that yields
(where, {column: text}), `where` being a line number or a label such as
"Sheet 'Identity Graph Enhancements' row 7"; `answers_import` validates all of them
first and reports every bad row by where it is, then writes inside one transaction.

Files are read as hostile (assessments/domain/limits.py): a CSV is parsed strictly (an
unterminated or stray quote, a duplicated column, an over-long cell are errors, not
guesses), an XLSX is bounded by what it unpacks to before it is opened and is read from
its first sheet only (rows on any other sheet are an error), cells are read as typed
(a formula is its text), every cell is checked against its column's limit, and at most
MAX_IMPORT_ROWS rows are read. A file that would change answers people gave on the web
themselves is refused until the import is confirmed (`replace_web_answers`), and the
confirmed import says so in the audit log. So is a file that would change answers changed
after the file was made (`made_at`: written in every offline workbook, given to
`import_answers` by --made-at or taken from the file's modification time): the same
no-lost-update rule as the questionnaire's versions (docs/autosave.md).
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.text import slugify

from . import audit
from .domain import limits
from .domain.answers import AnswerInput, answer_text
from .domain.tidy import ANSWER_COLUMNS, restore_formula_text
from .models import (
    Answer,
    Assessment,
    BusinessUnit,
    Cycle,
    Framework,
    Organisation,
    Profile,
    Question,
    Response,
)
from .offline_workbook.layout import MADE_AT_KEY, ROW_PROBLEM, is_questionnaire
from .offline_workbook.reader import WorkbookUnreadable, read_questionnaire
from .services.answers import answers_save, time_text
from .services.retry import retried_once
from .services.scores import scores_refresh
from .validators import parse_answer

# Where a row is: a line number (CSV, tidy XLSX) or a label naming sheet and row.
RowPlace = int | str

REQUIRED_COLUMNS = ANSWER_COLUMNS[:-1]
# The limit each tidy column is checked against (the answer is checked by parse_answer).
COLUMN_LIMITS = {
    "organisation": limits.ORGANISATION_SLUG,
    "unit": limits.UNIT_SLUG,
    "cycle": limits.CYCLE_NAME,
    "respondent": limits.RESPONDENT,
    "question_code": limits.QUESTION_CODE,
    "comment": limits.COMMENT,
}
TOO_MANY_ROWS = (
    f"the file has more than {limits.MAX_IMPORT_ROWS:,} answer rows; split it into smaller files"
)


class ImportFailed(ValueError):
    """The file was rejected; nothing was loaded. `problems` lists each one."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class WebAnswersReplaced:
    """Answers that `respondent` gave on the web (their own account's response) which the
    file would change: `changes` as "IDG-FID-1: 3 → 2"."""

    respondent: str
    changes: list[str]

    def problem(self) -> str:
        shown = "; ".join(self.changes[:10])
        more = f"; and {len(self.changes) - 10} more" if len(self.changes) > 10 else ""
        return (
            f"{self.respondent} answered on the web: this file would replace "
            f"{len(self.changes)} of their answer(s) ({shown}{more})"
        )


@dataclass(frozen=True)
class ChangedSinceFile:
    """Answers of `respondent` changed after the file was made, which the file would
    change again: `changes` as "IDG-FID-1: 5 → 2 (changed 2 Dec 10:42, in the
    questionnaire)"."""

    respondent: str
    changes: list[str]
    made_at: datetime

    def problem(self) -> str:
        shown = "; ".join(self.changes[:10])
        more = f"; and {len(self.changes) - 10} more" if len(self.changes) > 10 else ""
        return (
            f"{self.respondent}: {len(self.changes)} answer(s) changed after this file was "
            f"made ({time_text(self.made_at)}), which it would replace ({shown}{more})"
        )


class WebAnswersNotConfirmed(ImportFailed):
    """The file would change answers that people gave on the web themselves, or answers
    changed since the file was made; nothing was loaded. Import it again with
    `replace_web_answers=True` to confirm."""

    def __init__(self, replaced: list[WebAnswersReplaced | ChangedSinceFile]):
        self.replaced = replaced
        super().__init__([item.problem() for item in replaced])


@dataclass
class ImportResult:
    rows: int
    answers_changed: int
    created: list[str] = field(default_factory=list)


def read_csv_rows(data: bytes) -> list[tuple[int, dict[str, str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailed(
            [f"the file is not UTF-8 text (byte {error.start} cannot be read)"]
        ) from None
    # strict: a stray or unterminated quote is an error, never a guess at where a cell ends
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    rows = []
    line = 1
    try:
        check_columns(reader.fieldnames or [])
        for record in reader:
            start = line + 1
            line = reader.line_num
            if None in record:
                raise ImportFailed(
                    [
                        f"Line {start}: more cells than the {len(reader.fieldnames)} columns of the header"
                    ]
                )
            if len(rows) == limits.MAX_IMPORT_ROWS:
                raise ImportFailed([TOO_MANY_ROWS])
            rows.append((start, tidy_row(record)))
    except csv.Error as error:
        raise ImportFailed([_csv_problem(line + 1, str(error))]) from None
    return rows


def _csv_problem(line: int, error: str) -> str:
    """csv's own words for a broken file, turned into what to do about it."""
    if "field larger than field limit" in error:
        return (
            f"Line {line}: a cell is longer than {csv.field_size_limit():,} characters "
            f"(a comment holds at most {limits.COMMENT.max_length:,})"
        )
    if "unexpected end of data" in error:
        return (
            f'Line {line}: a quoted cell is never closed (a " without its closing "); '
            "nothing after it could be read"
        )
    if "expected after" in error:
        return (
            f'Line {line}: a quote inside a cell must be doubled ("") and the whole cell '
            'quoted, e.g. "said ""yes"""'
        )
    return f"Line {line}: not valid CSV ({error})"


def tidy_row(record: dict, restore_escaped: bool = True) -> dict[str, str]:
    """A raw row, with CSV formula escaping undone; only the comment keeps its spaces."""
    row = {}
    for key, value in record.items():
        text = "" if value is None else str(value)
        text = restore_formula_text(text) if restore_escaped else text
        row[key.strip()] = text if key.strip() == "comment" else text.strip()
    return row


def check_columns(columns: list[str]) -> None:
    names = [c.strip() for c in columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    unknown = [limits.shown(c, 30)[1:-1] for c in names if c not in ANSWER_COLUMNS]
    twice = sorted({c for c in names if names.count(c) > 1 and c in ANSWER_COLUMNS})
    problems = []
    if twice:
        problems.append(
            f"Line 1: column(s) {', '.join(twice)} appear more than once; keep one of each"
        )
    if missing:
        problems.append(
            f"Line 1: missing column(s) {', '.join(missing)} (expected: {','.join(ANSWER_COLUMNS)})"
        )
    if unknown:
        problems.append(
            f"Line 1: unknown column(s) {', '.join(unknown)} (expected: {','.join(ANSWER_COLUMNS)})"
        )
    if problems:
        raise ImportFailed(problems)


def latest_framework(code: str) -> Framework:
    framework = Framework.objects.filter(code=code).order_by("-loaded_at", "-pk").first()
    if framework is None:
        known = (
            ", ".join(sorted(set(Framework.objects.values_list("code", flat=True))))
            or "none loaded"
        )
        raise ImportFailed([f"no framework with code '{code}' (known: {known})"])
    return framework


@dataclass
class _Plan:
    """What a valid file will write, worked out before anything is written."""

    new_organisations: set[str] = field(default_factory=set)
    new_units: set[tuple[str, str]] = field(default_factory=set)
    new_cycles: set[tuple[str, str]] = field(default_factory=set)
    answers: dict[tuple[str, str, str, str], dict[str, AnswerInput]] = field(
        default_factory=lambda: defaultdict(dict)
    )


def answers_import(
    *,
    rows: list[tuple[RowPlace, dict[str, str]]],
    source_name: str,
    source_bytes: bytes,
    actor=None,
    create_missing: bool = False,
    framework_code: str | None = None,
    only_unit: BusinessUnit | None = None,
    only_cycle: Cycle | None = None,
    replace_web_answers: bool = False,
    made_at: datetime | None = None,
    via: str = Answer.Via.IMPORT,
) -> ImportResult:
    """Validate every row, then load all of them in one transaction.

    With `create_missing`, unknown organisations, units and cycles are created on
    the latest version of `framework_code`; otherwise they are row errors.
    `only_unit` and `only_cycle` restrict a file to one assessment (an upload from its
    page); rows for anywhere else are reported once per place they are for.
    A file that changes answers people gave on the web themselves (not `actor`'s own),
    or answers changed after `made_at` (when the file was made), raises
    WebAnswersNotConfirmed unless `replace_web_answers` confirms it.
    """
    if create_missing and not framework_code:
        raise ImportFailed(
            ["--create-missing needs --framework CODE: the framework new cycles use"]
        )
    if len(rows) > limits.MAX_IMPORT_ROWS:
        raise ImportFailed([TOO_MANY_ROWS])
    if not rows:
        raise ImportFailed(["the file has no answer rows"])
    if only_unit is not None or only_cycle is not None:
        outside = _rows_outside(rows, only_unit, only_cycle)
        if outside:
            raise ImportFailed(outside)
    new_framework = latest_framework(framework_code) if create_missing else None

    organisations = {o.slug: o for o in Organisation.objects.all()}
    units = {
        (u.organisation.slug, u.slug): u
        for u in BusinessUnit.objects.select_related("organisation")
    }
    cycles = {
        (c.organisation.slug, c.name): c
        for c in Cycle.objects.select_related("organisation", "framework", "profile")
    }
    locked = {
        (a.unit.organisation.slug, a.unit.slug, a.cycle.name)
        for a in Assessment.objects.filter(status=Assessment.Status.SUBMITTED).select_related(
            "unit__organisation", "cycle"
        )
    }
    framework_ids = {c.framework_id for c in cycles.values()} | (
        {new_framework.pk} if new_framework else set()
    )
    questions: dict[int, dict[str, Question]] = defaultdict(dict)
    for question in Question.objects.filter(framework_id__in=framework_ids):
        questions[question.framework_id][question.code] = question
    asked = _profile_questions({c.profile_id for c in cycles.values()} - {None})

    plan = _Plan()
    problems: list[str] = []
    seen: dict[tuple, int] = {}
    for line, row in rows:
        problem = _plan_row(
            row,
            plan,
            organisations,
            units,
            cycles,
            locked,
            questions,
            new_framework,
            create_missing,
            asked,
        )
        key = (
            row.get("organisation"),
            row.get("unit"),
            row.get("cycle"),
            row.get("respondent"),
            row.get("question_code"),
        )
        if problem is None and key in seen:
            first = seen[key]
            first = f"line {first}" if isinstance(first, int) else first
            problem = f"the same respondent answers question {key[4]} again (first on {first})"
        seen.setdefault(key, line)
        if problem:
            problems.append(f"{_where(line)}: {problem}")
    if problems:
        raise ImportFailed(problems)
    replaced: list[WebAnswersReplaced | ChangedSinceFile] = []
    replaced += web_answers_replaced(plan, units, cycles, actor)
    if made_at is not None:
        replaced += answers_changed_since(plan, units, cycles, made_at)
    if replaced and not replace_web_answers:
        raise WebAnswersNotConfirmed(replaced)
    return _load(
        plan=plan,
        rows=len(rows),
        organisations=organisations,
        units=units,
        cycles=cycles,
        questions=questions,
        new_framework=new_framework,
        actor=actor,
        source_name=source_name,
        sha256=hashlib.sha256(source_bytes).hexdigest(),
        replaced=_counts(item for item in replaced if isinstance(item, WebAnswersReplaced)),
        changed_since=_counts(item for item in replaced if isinstance(item, ChangedSinceFile)),
        via=via,
    )


def _counts(items) -> dict[str, int]:
    return {item.respondent: len(item.changes) for item in items}


@retried_once
@transaction.atomic
def _load(
    *,
    plan,
    rows,
    organisations,
    units,
    cycles,
    questions,
    new_framework,
    actor,
    source_name,
    sha256,
    replaced,
    changed_since,
    via,
) -> ImportResult:
    # Copies: a retry after a lost race starts again from what was read before it.
    organisations, units, cycles = dict(organisations), dict(units), dict(cycles)
    result = _write(
        plan,
        organisations,
        units,
        cycles,
        questions,
        new_framework,
        actor,
        source_name,
        replaced,
        via,
    )
    result.rows = rows
    # One entry per organisation, so each organisation's consultants see the import in
    # their audit log (which is filtered by organisation).
    for organisation in sorted({k[0] for k in plan.answers}):
        details = {
            "file": source_name,
            "rows": rows,
            "sha256": sha256,
            "answers_changed": result.answers_changed,
            "created": [
                item
                for item in result.created
                if item.split(" ", 1)[1].split("/")[0] == organisation
            ],
        }
        if replaced:
            # Confirmed by the importer: whose own web answers, and how many, it replaced.
            details["replaced_web_answers"] = replaced
        if changed_since:
            # Confirmed too: answers changed after the file was made, by respondent.
            details["replaced_answers_changed_since_file"] = changed_since
        audit.record("answers.import", actor=actor, organisation=organisation, details=details)
    return result


def _existing_assessments(plan, units, cycles) -> dict[tuple, tuple[int, int]]:
    """Each (organisation, unit, cycle, respondent) of the plan whose unit and cycle exist
    already, with their primary keys: only there can an import meet answers given before."""
    return {
        key: (units[(key[0], key[1])].pk, cycles[(key[0], key[2])].pk)
        for key in plan.answers
        if (key[0], key[1]) in units and (key[0], key[2]) in cycles
    }


def web_answers_replaced(plan, units, cycles, actor) -> list[WebAnswersReplaced]:
    """The answers this plan would change in responses that people gave on the web under
    their own account (Response.user set), other than the importing person's own: a lead's
    upload naming a colleague must not silently rewrite what the colleague answered. Two
    queries."""
    wanted = _existing_assessments(plan, units, cycles)
    if not wanted:
        return []
    responses = Response.objects.filter(
        user__isnull=False,
        respondent__in={key[3] for key in wanted},
        assessment__unit_id__in={unit for unit, _ in wanted.values()},
        assessment__cycle_id__in={cycle for _, cycle in wanted.values()},
    ).prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("question")))
    if getattr(actor, "pk", None) is not None:
        responses = responses.exclude(user=actor)
    by_key = {}
    for response in responses.select_related("assessment__unit__organisation", "assessment__cycle"):
        unit = response.assessment.unit
        key = (
            unit.organisation.slug,
            unit.slug,
            response.assessment.cycle.name,
            response.respondent,
        )
        by_key[key] = {answer.question.code: answer for answer in response.answers.all()}
    replaced = []
    for key, planned in plan.answers.items():
        if key not in by_key:
            continue
        changes = [
            change
            for code, new in sorted(planned.items())
            if (change := _change(code, by_key[key].get(code), new))
        ]
        if changes:
            replaced.append(WebAnswersReplaced(respondent=key[3], changes=changes))
    return replaced


def answers_changed_since(plan, units, cycles, made_at: datetime) -> list[ChangedSinceFile]:
    """The answers this plan would change that were changed in the questionnaire after
    `made_at`: an upload must not silently undo what a respondent answered since its
    file was made. Changes by uploads and imports do not count, so that a corrected
    file can be uploaded again. One query."""
    wanted = _existing_assessments(plan, units, cycles)
    if not wanted:
        return []
    newer = Answer.objects.filter(
        updated_at__gt=made_at,
        updated_via__in=[Answer.Via.FORM, Answer.Via.AUTOSAVE],
        response__respondent__in={key[3] for key in wanted},
        response__assessment__unit_id__in={unit for unit, _ in wanted.values()},
        response__assessment__cycle_id__in={cycle for _, cycle in wanted.values()},
    ).select_related(
        "question", "response__assessment__unit__organisation", "response__assessment__cycle"
    )
    by_key: dict[tuple, dict[str, Answer]] = defaultdict(dict)
    for answer in newer:
        assessment = answer.response.assessment
        key = (
            assessment.unit.organisation.slug,
            assessment.unit.slug,
            assessment.cycle.name,
            answer.response.respondent,
        )
        by_key[key][answer.question.code] = answer
    found = []
    for key, planned in plan.answers.items():
        changes = []
        for code, new in sorted(planned.items()):
            old = by_key.get(key, {}).get(code)
            change = _change(code, old, new) if old is not None else None
            if change:
                where = Answer.Via(old.updated_via).label
                changes.append(f"{change} (changed {time_text(old.updated_at)}, in {where})")
        if changes:
            found.append(ChangedSinceFile(respondent=key[3], changes=changes, made_at=made_at))
    return found


def file_made_at(filename: str, data: bytes) -> datetime | None:
    """When an offline questionnaire workbook was made (written in it); None for any
    other file, or a workbook made before Ladder wrote it."""
    if not filename.lower().endswith(".xlsx"):
        return None
    try:
        workbook = _open_workbook(data)
        if not is_questionnaire(workbook.sheetnames):
            return None
        made_at = read_questionnaire(workbook)[0].get(MADE_AT_KEY, "")
        return datetime.fromisoformat(made_at).astimezone(UTC) if made_at else None
    except (ImportFailed, WorkbookUnreadable, ValueError):
        return None  # read_rows reports what is wrong with the file


def _change(code: str, old: Answer | None, new: AnswerInput) -> str | None:
    """How the file changes one answer, for the person confirming: "IDG-FID-1: 3 → 2",
    "IDG-FID-1: comment changed", or None when it stays as it is."""
    before = answer_text(choice=old.choice, value=old.value, special=old.special) if old else "—"
    after = answer_text(choice=new.choice, value=new.value, special=new.special)
    if before != after:
        return f"{code}: {before} → {after}"
    what = []
    if old.comment != new.comment:
        what.append("comment changed")
    if old.evidence_url != new.evidence_url:
        what.append("evidence link removed" if not new.evidence_url else "evidence link changed")
    return f"{code}: {', '.join(what)}" if what else None


def _where(place: RowPlace) -> str:
    return f"Line {place}" if isinstance(place, int) else place


def _rows_outside(rows, only_unit, only_cycle) -> list[str]:
    """One problem per place (organisation, unit, cycle) outside the allowed assessment,
    at its first row: a workbook for another unit is one clear error, not one a row."""
    allowed = []
    if only_unit is not None:
        allowed.append(f"unit '{only_unit.slug}' of '{only_unit.organisation.slug}'")
    if only_cycle is not None:
        allowed.append(f"cycle '{only_cycle.name}'")
    outside: dict[tuple, list] = {}
    for place, row in rows:
        org, unit, cycle = row.get("organisation"), row.get("unit"), row.get("cycle")
        wrong_unit = only_unit is not None and (org, unit) != (
            only_unit.organisation.slug,
            only_unit.slug,
        )
        wrong_cycle = only_cycle is not None and (org, cycle) != (
            only_cycle.organisation.slug,
            only_cycle.name,
        )
        if wrong_unit or wrong_cycle:
            outside.setdefault((org, unit, cycle), []).append(place)
    problems = []
    for (org, unit, cycle), places in outside.items():
        more = f" and {len(places) - 1} more row(s)" if len(places) > 1 else ""
        problems.append(
            f"{_where(places[0])}{more}: this upload takes answers for {' in '.join(allowed)} "
            f"only, not for unit '{unit}' of '{org}' in cycle '{cycle}'"
        )
    return problems


def _profile_questions(profiles: set[int]) -> dict[int, set[int]]:
    """Profile pk → the pks of the questions it asks; one query (none without profiles)."""
    asked: dict[int, set[int]] = defaultdict(set)
    if profiles:
        for profile, question in Profile.questions.through.objects.filter(
            profile__in=profiles
        ).values_list("profile_id", "question_id"):
            asked[profile].add(question)
    return asked


def _plan_row(
    row,
    plan,
    organisations,
    units,
    cycles,
    locked,
    questions,
    new_framework,
    create_missing,
    asked,
):
    if row.get(ROW_PROBLEM):
        return row[ROW_PROBLEM]
    for column in REQUIRED_COLUMNS:
        if not row.get(column):
            return f"'{column}' is empty"
    for column, limit in COLUMN_LIMITS.items():
        problem = limits.text_problem(row.get(column, ""), limit)
        if problem:
            return f"{column} {problem}"
    org, unit, cycle_name = row["organisation"], row["unit"], row["cycle"]
    if org not in organisations and org not in plan.new_organisations:
        if not create_missing:
            return f"unknown organisation '{org}' (use --create-missing to create it)"
        if slugify(org) != org:
            return f"organisation '{org}' is not a valid slug (lowercase letters, digits, hyphens)"
        plan.new_organisations.add(org)
    if (org, unit) not in units and (org, unit) not in plan.new_units:
        if not create_missing:
            return (
                f"unknown unit '{unit}' in organisation '{org}' (use --create-missing to create it)"
            )
        if slugify(unit) != unit:
            return f"unit '{unit}' is not a valid slug (lowercase letters, digits, hyphens)"
        plan.new_units.add((org, unit))
    cycle = cycles.get((org, cycle_name))
    if cycle is None:
        if (org, cycle_name) not in plan.new_cycles:
            if not create_missing:
                return f"unknown cycle '{cycle_name}' in organisation '{org}' (use --create-missing to create it)"
            plan.new_cycles.add((org, cycle_name))
        framework_id = new_framework.pk
    else:
        framework_id = cycle.framework_id
    if (org, unit, cycle_name) in locked:
        return f"the assessment of '{unit}' for {cycle_name} is submitted; reopen it before importing answers"
    question = questions[framework_id].get(row["question_code"])
    if question is None:
        return f"unknown question code '{row['question_code']}' in the cycle's framework"
    if cycle is not None and cycle.profile_id and question.pk not in asked[cycle.profile_id]:
        return (
            f"question {question.code} is not asked in {cycle_name}: the cycle asks the "
            f"questions of its profile {cycle.profile.name} only"
        )
    try:
        answer = parse_answer(question, row["answer"], comment=row.get("comment", ""))
    except ValidationError as error:
        return error.messages[0]
    plan.answers[(org, unit, cycle_name, row["respondent"])][question.code] = answer
    return None


def _write(
    plan, organisations, units, cycles, questions, new_framework, actor, source_name, replaced, via
) -> ImportResult:
    created = []
    for slug in sorted(plan.new_organisations):
        organisations[slug] = Organisation.objects.create(name=slug, slug=slug)
        created.append(f"organisation {slug}")
    for org, slug in sorted(plan.new_units):
        units[(org, slug)] = BusinessUnit.objects.create(
            organisation=organisations[org], name=slug, slug=slug
        )
        created.append(f"unit {org}/{slug}")
    for org, name in sorted(plan.new_cycles):
        cycles[(org, name)] = Cycle.objects.create(
            organisation=organisations[org], name=name, framework=new_framework
        )
        created.append(f"cycle {org}/{name}")
    changed = 0
    touched = set()
    for (org, unit, cycle_name, respondent), answers in plan.answers.items():
        cycle = cycles[(org, cycle_name)]
        assessment, _ = Assessment.objects.get_or_create(unit=units[(org, unit)], cycle=cycle)
        source = f"import {source_name}"
        if respondent in replaced:
            source += f" (replacing answers {respondent} gave on the web; confirmed)"
        changed += answers_save(
            assessment=assessment,
            respondent=respondent,
            questions=questions[cycle.framework_id],
            answers=answers,
            actor=actor,
            source=source,
            via=via,
            refresh_scores=False,
        )
        touched.add(assessment.pk)
    # Once for every assessment the file touched, rather than once per respondent.
    scores_refresh(assessments=Assessment.objects.filter(pk__in=touched))
    return ImportResult(rows=0, answers_changed=changed, created=created)


def read_xlsx_rows(workbook) -> list[tuple[int, dict[str, str]]]:
    """The first sheet of a workbook laid out as the tidy answers table (header on row 1).
    Cells are read as typed: a formula is its text, so a comment such as `=SUM(A1)` stays
    the words that were typed. Any other sheet holding a value is an error: its rows would
    otherwise be left out without a word."""
    first, *others = workbook.worksheets
    for sheet in others:
        if any(_has_value(values) for values in sheet.iter_rows(values_only=True)):
            raise ImportFailed(
                [
                    f"Sheet '{sheet.title}' holds data, but answers are read from the first "
                    f"sheet ('{first.title}') only: move its rows there, or delete the sheet"
                ]
            )
    lines = first.iter_rows(values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(lines, ())]
    while header and not header[-1]:
        header.pop()
    check_columns(header)
    rows = []
    for number, values in enumerate(lines, start=2):
        cells = list(values)[: len(header)]
        if _has_value(values[len(header) :]):
            raise ImportFailed(
                [f"Line {number}: a value beyond the {len(header)} columns of the header"]
            )
        if not _has_value(cells):
            continue
        if len(rows) == limits.MAX_IMPORT_ROWS:
            raise ImportFailed([TOO_MANY_ROWS])
        record = {
            name: "" if v is None else _cell_text(v) for name, v in zip(header, cells, strict=False)
        }
        rows.append((number, tidy_row(record, restore_escaped=False)))
    return rows


def _has_value(values) -> bool:
    return any(v is not None and str(v).strip() != "" for v in values)


def _open_workbook(data: bytes):
    """The workbook, opened only once what it unpacks to is known to be bounded: a zip
    archive of a few hundred kilobytes can unpack to gigabytes."""
    from openpyxl import load_workbook

    unreadable = ImportFailed(["the file is not an XLSX workbook that can be read"])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise unreadable from None
    if unpacked > limits.MAX_XLSX_UNPACKED_BYTES:
        raise ImportFailed(
            [
                f"the workbook unpacks to {limits.size_text(unpacked)}; at most "
                f"{limits.size_text(limits.MAX_XLSX_UNPACKED_BYTES)} is read (a workbook of "
                "answers is far smaller: is this the right file?)"
            ]
        )
    try:
        # Zip members are read no further than their declared sizes (zipfile stops there),
        # so the sum above bounds what parsing can unpack.
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise unreadable from None


def read_questionnaire_rows(workbook) -> list[tuple[str, dict[str, str]]]:
    """The rows of a filled questionnaire workbook, after checking that the framework
    version it was made from is still the one its cycle uses."""
    try:
        identity, rows = read_questionnaire(workbook)
    except WorkbookUnreadable as error:
        raise ImportFailed(error.problems) from None
    cycle = (
        Cycle.objects.filter(organisation__slug=identity["organisation"], name=identity["cycle"])
        .select_related("framework")
        .first()
    )
    made_from = (identity["framework"], identity["framework_version"])
    if cycle is not None and (cycle.framework.code, cycle.framework.version) != made_from:
        raise ImportFailed(
            [
                f"Sheet 'Instructions': this workbook was made from framework {made_from[0]} "
                f"{made_from[1]}, but cycle '{cycle.name}' uses {cycle.framework.code} "
                f"{cycle.framework.version}; download a new workbook"
            ]
        )
    return rows


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_rows(filename: str, data: bytes) -> list[tuple[RowPlace, dict[str, str]]]:
    """Rows of a tidy answers file, CSV or XLSX by its name; an XLSX that is an offline
    questionnaire workbook (it has the identification sheet) is read as one."""
    lowered = filename.lower()
    if lowered.endswith(".xlsx"):
        workbook = _open_workbook(data)
        if is_questionnaire(workbook.sheetnames):
            return read_questionnaire_rows(workbook)
        return read_xlsx_rows(workbook)
    if lowered.endswith(".csv"):
        return read_csv_rows(data)
    raise ImportFailed([f"'{filename}' is neither a .csv nor an .xlsx file"])
