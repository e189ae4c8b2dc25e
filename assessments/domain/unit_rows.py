"""The rules of a business unit as typed in a form or a CSV row, and the strict reading of
a units CSV (name, slug, region, tags): pure, so one rule serves both doors.

Every problem names its place: `line 3: slug: "UK retail" is not a slug (…)`. A file is
read whole first; the caller writes all its rows or none.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from . import limits

UNIT_COLUMNS = ("name", "slug", "region", "tags")
REQUIRED = ("name", "slug")
SLUG_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
SLUG_RULE = "lower-case letters, digits, '-' and '_', starting with a letter or digit"
COLUMN_LIMITS = {
    "name": limits.UNIT_NAME,
    "slug": limits.UNIT_SLUG,
    "region": limits.UNIT_REGION,
    "tags": limits.UNIT_TAGS,
}


@dataclass(frozen=True)
class UnitRow:
    line: int
    name: str
    slug: str
    region: str
    tags: str


def clean_tags(tags: str) -> str:
    """Tags as stored: comma-separated, each trimmed, empty ones and repeats dropped."""
    seen: list[str] = []
    for tag in (part.strip() for part in tags.split(",")):
        if tag and tag not in seen:
            seen.append(tag)
    return ", ".join(seen)


def unit_problems(values: dict[str, str]) -> list[tuple[str, str]]:
    """(column, what is wrong) for one unit's name, slug, region and tags."""
    problems = []
    for column in UNIT_COLUMNS:
        value = values.get(column, "")
        if column in REQUIRED and not value:
            problems.append((column, "is empty (every unit needs one)"))
            continue
        problem = limits.text_problem(value, COLUMN_LIMITS[column])
        if problem:
            problems.append((column, problem))
        elif column == "slug" and not SLUG_PATTERN.fullmatch(value):
            problems.append((column, f"{value!r} is not a slug ({SLUG_RULE})"))
    return problems


def read_unit_rows(data: bytes, existing_slugs: set[str]) -> tuple[list[UnitRow], list[str]]:
    """(the rows, every problem). Rows are good only when there are no problems."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return [], [f"the file is not UTF-8 text (byte {error.start} cannot be read)"]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[str] = []
    rows: list[UnitRow] = []
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
    except csv.Error as error:
        return [], [f"line 1: not valid CSV ({error})"]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in UNIT_COLUMNS]
    if not header:
        return [], [
            "the file is empty: its first line must name the columns name, slug, region, tags"
        ]
    if duplicated or missing or unknown:
        for column in duplicated:
            problems.append(f"line 1: {column}: the column appears twice")
        for column in missing:
            problems.append(f"line 1: {column}: the column is missing")
        for column in unknown:
            problems.append(
                f"line 1: {column or '(empty)'}: not a column of units (name, slug, region, tags)"
            )
        return [], problems
    seen: dict[str, int] = {}
    line, count = 1, 0
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                problems.append(f"line {start}: more cells than the {len(header)} columns")
                continue
            count += 1
            if count > limits.MAX_UNIT_ROWS:
                return [], [f"the file has more than {limits.MAX_UNIT_ROWS:,} units; split it"]
            values = {c: v.strip() for c, v in zip(header, cells, strict=False)}
            values["tags"] = clean_tags(values.get("tags", ""))
            row_problems = unit_problems(values)
            slug = values["slug"]
            if not row_problems:
                if slug in existing_slugs:
                    row_problems.append(("slug", f"{slug!r} is a unit of the organisation already"))
                elif slug in seen:
                    row_problems.append(("slug", f"{slug!r} is also on line {seen[slug]}"))
            seen.setdefault(slug, start)
            if row_problems:
                problems.extend(f"line {start}: {c}: {what}" for c, what in row_problems)
                continue
            rows.append(
                UnitRow(start, values["name"], slug, values.get("region", ""), values["tags"])
            )
    except csv.Error as error:
        return [], [f"line {line + 1}: not valid CSV ({error}); nothing after it could be read"]
    if not rows and not problems:
        problems.append("the file names no unit: add one row per unit under the header")
    return ([] if problems else rows), problems
