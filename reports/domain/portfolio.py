"""Portfolio aggregation: an organisation's units scored for one or more cycles (the frames
of `Portfolio`, which reports/queries/portfolio.py loads), then aggregated.

Everything here is pure pandas over those frames (no ORM), vectorised over units: the units × capabilities matrix, the ranking by maturity index, each
capability's median and quartiles, gaps to the median, filters by region and
tag, and changes between cycles.

Choices where DESIGN.md is silent (also in the README, "Reports"):

- The median and quartiles are of the capability scores of the units shown
  (after the region/tag filters), units with no score left out, with linear
  interpolation between ranks (pandas' default, Excel's QUARTILE.INC); the
  median of an even count is the mean of the two middle scores.
- A gap to the median is the unit's score minus the median (negative = below).
- A capability's change between cycles compares its *level* (up, down, same):
  a level counts only when fully reached. A unit's change compares its maturity
  index as shown, to two decimals. Blank when either cycle has no score.
- The previous cycle is the organisation's cycle whose name sorts just before.
- Draft (unsubmitted) assessments are included, with their status shown: a
  consultant follows a cycle while it is being answered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .planning import resolve_target_levels

UP, DOWN, SAME = "up", "down", "same"
UNIT_COLUMNS = ["assessment", "unit", "unit_name", "region", "tags", "cycle", "status"]


@dataclass(frozen=True)
class Portfolio:
    """Scores of an organisation's units in one or more cycles, as long frames."""

    units: pd.DataFrame  # one row per assessment: UNIT_COLUMNS
    capabilities: pd.DataFrame  # capability, name, groups — in the framework's order
    dimensions: pd.DataFrame  # dimension, name — in the framework's order
    levels: dict[int, str]  # level number → name
    cells: pd.DataFrame  # cycle, unit, capability, dimension, score, level
    capability_scores: pd.DataFrame  # cycle, unit, capability, score, level
    maturity: pd.DataFrame  # cycle, unit, maturity_index

    @property
    def capability_codes(self) -> list[str]:
        return list(self.capabilities["capability"])

    @property
    def capability_names(self) -> dict[str, str]:
        return dict(zip(self.capabilities["capability"], self.capabilities["name"], strict=True))


# --- pure aggregation over the frames -----------------------------------------------


def resolve_targets(
    rows: Iterable[tuple[int | None, str, int]],
    default: int | None,
    capability_codes: Sequence[str],
) -> dict[str, int | None]:
    """(unit_id or None, capability, level) rows of one unit → capability → target."""
    organisation_wide: dict[str, int] = {}
    own: dict[str, int] = {}
    for unit_id, code, level in rows:
        (organisation_wide if unit_id is None else own)[code] = int(level)
    return resolve_target_levels(
        capability_codes, unit_targets=own, organisation_targets=organisation_wide, default=default
    )


def latest_cycle(cycle_names: Sequence[str]) -> str | None:
    """The latest cycle: cycles sort by name (2026-Q2 before 2026-Q4), as in
    assessments.queries.access.latest_cycle, which asks the database the same."""
    return max(cycle_names) if cycle_names else None


def previous_cycle(cycle_names: Sequence[str], current: str) -> str | None:
    """The cycle whose name sorts just before `current`, or None for the first."""
    earlier = sorted(name for name in cycle_names if name < current)
    return earlier[-1] if earlier else None


def tag_list(tags: str) -> list[str]:
    return [tag.strip() for tag in (tags or "").split(",") if tag.strip()]


def regions(units: pd.DataFrame) -> list[str]:
    return sorted({region for region in units["region"].tolist() if region})


def tags(units: pd.DataFrame) -> list[str]:
    return sorted({tag for value in units["tags"].tolist() for tag in tag_list(value)})


def filter_units(
    units: pd.DataFrame, *, region: str | None = None, tag: str | None = None
) -> pd.DataFrame:
    """The units in the region and carrying the tag (either may be None), sorted by name."""
    selected = units.reset_index(drop=True)
    if region and not selected.empty:
        selected = selected[selected["region"] == region]
    if tag and not selected.empty:
        # Tags are a comma-separated field: split, strip, and keep the rows with the tag.
        exploded = selected["tags"].fillna("").str.split(",").explode().str.strip()
        selected = selected.loc[exploded[exploded == tag].index.unique()]
    return selected.sort_values(["unit_name", "unit"]).reset_index(drop=True)


def capability_matrix(
    capability_scores: pd.DataFrame, unit_slugs: Sequence[str], capability_codes: Sequence[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(scores, levels): units × capabilities, in the given orders.

    `capability_scores` holds one cycle's rows (unit, capability, score, level).
    Scores are floats (NaN where no score), levels nullable integers (<NA>).
    """
    index = pd.Index(list(unit_slugs), name="unit")
    columns = pd.Index(list(capability_codes), name="capability")
    # Each row's place in the matrix, set in one numpy step: pandas' two pivots and
    # reindexes took a tenth of a portfolio page of 500 units.
    rows = index.get_indexer(pd.Index(capability_scores["unit"]))
    cols = columns.get_indexer(pd.Index(capability_scores["capability"]))
    shown = (rows >= 0) & (cols >= 0)
    places = rows[shown] * len(columns) + cols[shown]
    if len(np.unique(places)) < len(places):
        raise ValueError("capability_matrix: two scores for one unit and capability")
    score_values = np.full((len(index), len(columns)), np.nan)
    level_values = np.full((len(index), len(columns)), np.nan)
    score_values[rows[shown], cols[shown]] = capability_scores["score"].to_numpy(dtype=float)[shown]
    level_values[rows[shown], cols[shown]] = capability_scores["level"].to_numpy(
        dtype=float, na_value=np.nan
    )[shown]
    scores = pd.DataFrame(score_values, index=index, columns=columns)
    levels = pd.DataFrame(level_values, index=index, columns=columns).astype("Int64")
    return scores, levels


def in_cycle(frame: pd.DataFrame, cycle: str) -> pd.DataFrame:
    return frame[frame["cycle"] == cycle].drop(columns="cycle")


def maturity_series(maturity: pd.DataFrame, unit_slugs: Sequence[str]) -> pd.Series:
    """One cycle's maturity index per unit, in the given order (NaN where none)."""
    series = maturity.set_index("unit")["maturity_index"] if not maturity.empty else pd.Series()
    return series.reindex(pd.Index(list(unit_slugs), name="unit")).astype(float)


def capability_statistics(scores: pd.DataFrame) -> pd.DataFrame:
    """Per capability (rows, in column order of `scores`): how many units have a score,
    the quartiles and median of their scores, and the weakest and strongest units
    (lists of unit slugs: every unit tied at the minimum or maximum)."""
    quartiles = scores.quantile([0.25, 0.5, 0.75]).T
    quartiles.columns = ["q1", "median", "q3"]
    at_min = scores.eq(scores.min())
    at_max = scores.eq(scores.max())
    statistics = pd.DataFrame(
        {
            "units": scores.count(),
            "q1": quartiles["q1"],
            "median": quartiles["median"],
            "q3": quartiles["q3"],
            "min": scores.min(),
            "max": scores.max(),
            "weakest": [list(at_min.index[at_min[c]]) for c in scores.columns],
            "strongest": [list(at_max.index[at_max[c]]) for c in scores.columns],
        },
        index=scores.columns,
    )
    return statistics


def gaps_to_median(scores: pd.DataFrame, medians: pd.Series) -> pd.DataFrame:
    """Each unit's score minus the capability's median (NaN where either is missing)."""
    return scores.sub(medians, axis="columns")


def sort_units(
    ranking: pd.DataFrame, scores: pd.DataFrame, sort: str = "-maturity"
) -> pd.DataFrame:
    """`ranking` (unit, unit_name, maturity_index, …) reordered by `sort`.

    `sort` is `maturity` / `-maturity` (lowest / highest index first), `name` /
    `-name`, or a capability code / `-CODE` (lowest / highest score first).
    Units without a value always come last; ties keep name order.
    """
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    table = ranking.sort_values(["unit_name", "unit"]).copy()
    if key == "name":
        return table.sort_values("unit_name", ascending=not descending, kind="stable").reset_index(
            drop=True
        )
    if key == "maturity":
        values = table["maturity_index"]
    else:
        values = table["unit"].map(scores[key])
    table["_key"] = values.to_numpy()
    table = table.sort_values("_key", ascending=not descending, na_position="last", kind="stable")
    return table.drop(columns="_key").reset_index(drop=True)


def maturity_ranking(units: pd.DataFrame, maturity: pd.Series) -> pd.DataFrame:
    """unit, unit_name, region, status, maturity_index, rank (1 = highest; ties share a
    rank; none without an index), gap (index minus the median index of these units)."""
    table = units[["unit", "unit_name", "region", "tags", "status", "assessment"]].copy()
    table["maturity_index"] = table["unit"].map(maturity).astype(float)
    table["rank"] = table["maturity_index"].rank(method="min", ascending=False).astype("Int64")
    table["gap"] = table["maturity_index"] - table["maturity_index"].median()
    return table


def level_changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """up / down / same per cell of two level matrices of one shape; "" where either is blank."""
    difference = after.astype(float) - before.astype(float)
    values = np.select(
        [difference.gt(0), difference.lt(0), difference.eq(0)], [UP, DOWN, SAME], default=""
    )
    return pd.DataFrame(values, index=after.index, columns=after.columns)


def unit_changes(
    before: pd.Series, after: pd.Series, capability_directions: pd.DataFrame
) -> pd.DataFrame:
    """Per unit: maturity index before and after, change and direction (both compared as
    shown, to two decimals), and how many capabilities moved up and down a level."""
    change = (after.round(2) - before.round(2)).round(2)
    direction = np.select([change.gt(0), change.lt(0), change.eq(0)], [UP, DOWN, SAME], default="")
    return pd.DataFrame(
        {
            "before": before,
            "after": after,
            "change": change,
            "direction": direction,
            "capabilities_up": (capability_directions == UP).sum(axis="columns"),
            "capabilities_down": (capability_directions == DOWN).sum(axis="columns"),
        },
        index=after.index,
    )


def maturity_over_cycles(
    maturity: pd.DataFrame, unit_slugs: Sequence[str], cycle_names: Sequence[str]
) -> pd.DataFrame:
    """Units × cycles of maturity index (NaN where the unit has none in a cycle)."""
    index = pd.Index(list(unit_slugs), name="unit")
    columns = pd.Index(list(cycle_names), name="cycle")
    if maturity.empty:
        return pd.DataFrame(np.nan, index=index, columns=columns)
    table = maturity.pivot(index="unit", columns="cycle", values="maturity_index")
    return table.reindex(index=index, columns=columns).astype(float)


def unit_names(units: pd.DataFrame) -> dict[str, str]:
    return dict(zip(units["unit"].tolist(), units["unit_name"].tolist(), strict=True))


def names_of(slugs: Sequence[str], names: Mapping[str, str]) -> list[str]:
    return [names.get(slug, slug) for slug in slugs]
