"""The bench's verdict from its figures alone: what one run of `manage.py bench` measured
(reports/bench/run.py) in, the table and the final `bench: ok` / `bench: FAIL — …` line
out. Pure Python — no Django, no clock, no database — so that every goal can be checked
against figures made by hand (tests/test_bench.py) as well as against measured ones.

The goals (reports/bench/run.py says how each figure is measured):
1. every page — portfolio, compare, unit report, questionnaire page and save — at most
   FLOOR_RATIO_GOAL × its floor at --units units (the gate); the questionnaire page and
   save's median server time against SERVER_TIME_GOAL_SECONDS is reported, not judged
   (it depends on the machine, the ratio does not);
2. unit report at --units units ≤ UNIT_REPORT_GROWTH_GOAL × its time at the small
   organisation's size, or + UNIT_REPORT_NOISE_SECONDS, whichever allows more;
3. the same number of queries for every questionnaire save (most questions, fewest,
   one answer changed; small and large organisation);
4. the same number of queries per page at both sizes;
5. each export < EXPORT_SECONDS_GOAL.
Memory is reported, not judged; so is what Django alone costs (an empty signed-in page, the
layout), the yardstick beside the questionnaire's floors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FLOOR_RATIO_GOAL = 3.0
SERVER_TIME_GOAL_SECONDS = 0.015  # questionnaire page and save: reported, not the gate
UNIT_REPORT_GROWTH_GOAL = 1.5
UNIT_REPORT_NOISE_SECONDS = 0.025
EXPORT_SECONDS_GOAL = 3.0


# --- what was measured -------------------------------------------------------------------


@dataclass(frozen=True)
class SaveQueries:
    """The queries of one questionnaire save: which organisation, which capability, how
    many answers it changed."""

    organisation: str
    capability: str
    changed: int
    queries: int


@dataclass(frozen=True)
class Export:
    kind: str  # "deck", "XLSX"
    seconds: float
    size_bytes: int


@dataclass(frozen=True)
class Figures:
    """One bench run's measurements: times in seconds (medians), memory in MiB."""

    units: int  # --units: the large organisation
    small_units: int  # the small organisation, measured beside it
    portfolio_page: float
    compare_page: float  # five units of the large organisation compared
    portfolio_floor: float  # the portfolio's and the comparison's floor
    unit_report_page: float  # at `units`
    unit_report_page_small: float  # at `small_units`
    unit_report_floor: float
    questionnaire_page: float  # GET of the capability with the most questions, at `units`
    questionnaire_floor: float
    save_seconds: float  # the timed save, at `units`
    save_floor: float
    save_changed: int  # answers that save changes
    most_questions: str  # code of the capability with the most questions
    fewest_questions: str  # … with the fewest
    save_queries: tuple[SaveQueries, ...]
    page_queries: dict[str, tuple[int, int]]  # page: (at small_units, at units)
    export_units: int
    exports: tuple[Export, ...]
    page_memory_mib: float  # peak Python allocations of one portfolio request
    process_memory_mib: float  # ru_maxrss
    # The questionnaire's autosave of one answer: queries at (small_units, units), its
    # median and the questionnaire page's, timed in alternation at `units`.
    autosave_queries: tuple[int, int] | None = None
    autosave_seconds: float | None = None
    autosave_page_seconds: float | None = None
    # Django alone (reports/bench/urls.py), as the respondent, timed with the pages: an
    # empty signed-in page and its SQL replayed raw; the layout page (base.html).
    empty_page: float | None = None
    empty_page_floor: float | None = None
    layout_page: float | None = None


# --- the table -----------------------------------------------------------------------------


@dataclass
class Row:
    measure: str
    value: str
    floor: str = ""
    ratio: str = ""
    goal: str = ""
    ok: bool | None = None  # None: reported, no goal

    @property
    def verdict(self) -> str:
        return "" if self.ok is None else ("ok" if self.ok else "FAIL")


@dataclass
class Report:
    header: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def add(self, row: Row, miss: str = "") -> None:
        """Add a row; `miss` says what missed when its goal does not hold."""
        self.rows.append(row)
        if row.ok is False:
            self.misses.append(miss or row.measure)

    @property
    def ok(self) -> bool:
        return not self.misses

    def lines(self) -> list[str]:
        """The header, the table, and the final `bench: ok` / `bench: FAIL — …` line."""
        columns = ["measure", "value", "floor", "ratio", "goal", ""]
        cells = [[r.measure, r.value, r.floor, r.ratio, r.goal, r.verdict] for r in self.rows]
        widths = [max(len(c[i]) for c in [columns, *cells]) for i in range(len(columns))]

        def line(values: list[str]) -> str:
            first = values[0].ljust(widths[0])
            rest = [v.rjust(w) for v, w in zip(values[1:-1], widths[1:-1], strict=True)]
            return "  ".join([first, *rest, values[-1]]).rstrip()

        table = [line(columns), line(["-" * w for w in widths])] + [line(c) for c in cells]
        final = "bench: ok" if self.ok else "bench: FAIL — " + "; ".join(self.misses)
        return [*self.header, "", *table, "", final]


def ms(seconds: float) -> str:
    # Floors of one or two milliseconds would all read "1 ms": a tenth below 10 ms.
    return f"{seconds * 1000:.1f} ms" if seconds < 0.01 else f"{seconds * 1000:.0f} ms"


# --- the verdict ---------------------------------------------------------------------------


def judge(figures: Figures, header: list[str] | None = None) -> Report:
    """The bench's table for these figures, each goal judged, in the order measured."""
    f = figures
    report = Report(header=list(header or []))

    def against_floor(name: str, page: float, floor: float) -> None:
        ratio = page / floor
        report.add(
            Row(
                f"{name}, {f.units} units",
                ms(page),
                ms(floor),
                f"{ratio:.2f}×",
                f"≤ {FLOOR_RATIO_GOAL:g}× floor",
                ratio <= FLOOR_RATIO_GOAL,
            ),
            f"{name} {ratio:.2f}× its floor (goal ≤ {FLOOR_RATIO_GOAL:g}×)",
        )

    def server_time(name: str, seconds: float) -> None:
        met = "met" if seconds <= SERVER_TIME_GOAL_SECONDS else "missed"
        report.add(
            Row(
                f"{name}, {f.units} units: median server time",
                ms(seconds),
                goal=f"≤ {ms(SERVER_TIME_GOAL_SECONDS)} ({met}, reported)",
            )
        )

    # 1. What a consultant reads: the floor is one query of stored scores and a pivot.
    against_floor("portfolio heatmap page", f.portfolio_page, f.portfolio_floor)
    against_floor("compare page", f.compare_page, f.portfolio_floor)
    against_floor("unit report page", f.unit_report_page, f.unit_report_floor)
    large, small = f.unit_report_page, f.unit_report_page_small
    allowed = max(UNIT_REPORT_GROWTH_GOAL * small, small + UNIT_REPORT_NOISE_SECONDS)
    report.add(
        Row(
            f"unit report page, {f.small_units} → {f.units} units",
            f"{ms(small)} → {ms(large)}",
            "",
            f"{large / small:.2f}×",
            f"≤ {UNIT_REPORT_GROWTH_GOAL}×",
            large <= allowed,
        ),
        f"unit report grows with the portfolio: {ms(small)} at {f.small_units} units, "
        f"{ms(large)} at {f.units}",
    )
    # 2. What a respondent waits for: the floor is the same queries, raw, and json.dumps.
    against_floor("questionnaire page", f.questionnaire_page, f.questionnaire_floor)
    server_time("questionnaire page", f.questionnaire_page)
    against_floor(
        f"questionnaire save, {f.save_changed} answers changed", f.save_seconds, f.save_floor
    )
    server_time("questionnaire save", f.save_seconds)
    _django_alone(report, f)
    counts = [save.queries for save in f.save_queries]
    described = ", ".join(
        f"{s.organisation} {s.capability} {s.changed} changed: {s.queries}" for s in f.save_queries
    )
    report.add(
        Row(
            "questionnaire save queries: "
            f"{f.most_questions} all / {f.fewest_questions} all / one changed, "
            f"{f.small_units} | {f.units} units",
            " / ".join(str(n) for n in counts),
            goal="constant",
            ok=len(set(counts)) == 1,
        ),
        f"questionnaire save queries vary ({described})",
    )
    # 4.
    for name, (at_small, at_large) in f.page_queries.items():
        report.add(
            Row(
                f"{name} queries, {f.small_units} | {f.units} units",
                f"{at_small} | {at_large}",
                goal="equal",
                ok=at_small == at_large,
            ),
            f"{name} runs {at_small} queries at {f.small_units} units, {at_large} at {f.units}",
        )
    # 5.
    for export in f.exports:
        report.add(
            Row(
                f"{export.kind} export, {f.export_units} units",
                f"{export.seconds:.2f} s ({export.size_bytes / 1024:.0f} KiB)",
                goal=f"< {EXPORT_SECONDS_GOAL:.0f} s",
                ok=export.seconds < EXPORT_SECONDS_GOAL,
            ),
            f"{export.kind} export takes {export.seconds:.2f} s for {f.export_units} units "
            f"(goal < {EXPORT_SECONDS_GOAL:.0f} s)",
        )
    # 6.
    report.add(
        Row(
            f"peak memory of one portfolio page request, {f.units} units (tracemalloc)",
            f"{f.page_memory_mib:.0f} MiB",
        )
    )
    report.add(Row("peak memory of the process (ru_maxrss)", f"{f.process_memory_mib:.0f} MiB"))
    _autosave(report, f)
    return report


def _django_alone(report: Report, f: Figures) -> None:
    """What Django costs before a page reads or shows anything, beside the questionnaire's
    floors (reported): the empty signed-in page against its own SQL replayed raw, and the
    layout page against the questionnaire page's floor — how much of 3 × that floor is
    spent before the page's first question."""
    if f.empty_page is None or f.empty_page_floor is None or f.layout_page is None:
        return
    report.add(
        Row(
            f"Django alone: empty signed-in page (session, user), {f.units} units",
            ms(f.empty_page),
            ms(f.empty_page_floor),
            f"{f.empty_page / f.empty_page_floor:.2f}×",
            "reported",
        )
    )
    report.add(
        Row(
            "Django alone: layout page (base.html), against the questionnaire page's floor",
            ms(f.layout_page),
            ms(f.questionnaire_floor),
            f"{f.layout_page / f.questionnaire_floor:.2f}×",
            "reported",
        )
    )


def _autosave(report: Report, f: Figures) -> None:
    """7. The questionnaire's autosave of one answer: reported beside the questionnaire
    page; its queries must not grow with the portfolio."""
    if f.autosave_queries is None or f.autosave_seconds is None:
        return
    page = f" (questionnaire page {ms(f.autosave_page_seconds)})" if f.autosave_page_seconds else ""
    report.add(Row(f"autosave of one answer, {f.units} units", ms(f.autosave_seconds) + page))
    at_small, at_large = f.autosave_queries
    report.add(
        Row(
            f"autosave queries, {f.small_units} | {f.units} units",
            f"{at_small} | {at_large}",
            goal="equal",
            ok=at_small == at_large,
        ),
        f"autosave runs {at_small} queries at {f.small_units} units, {at_large} at {f.units}",
    )
