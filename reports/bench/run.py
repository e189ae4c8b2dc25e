"""`manage.py bench`: Ladder's speed at portfolio scale, measured against a floor.

Everything runs in a throwaway database (reports/bench/data.py), never the user's. It
holds three synthetic organisations on the default framework, each unit with one
draft assessment in cycle 2026-Q4 answered by every respondent, with its scores
stored as the services store them: `bench-small` (50 units), `bench-deck` (100
units, for the exports; --export-units) and `bench-large` (--units units). Every
timing is the median of --repeat runs after one warm-up run, with DEBUG off (no query
log, no template debug data). A page and its floor (and the unit report at both
sizes) are timed in alternation, run for run, so that a machine busy with something
else slows both alike and their ratio stays fair.

What is measured, and the goal each figure must meet:

1. Portfolio heatmap page (`/reports/portfolio/` of bench-large, as its consultant):
   server time through Django's test client — the whole request, middleware to
   rendered HTML, without a network. Its floor, measured in the same run, is the
   least a page of these units × capabilities has to do without stored scores: ONE raw
   SQL query through Django's cursor fetching every scorable answer level of the cycle
   with its assessment and capability (answers joined to responses, assessments and
   questions, `level IS NOT NULL`) and ONE pandas `pivot_table` of those rows to units ×
   capabilities (mean level). Goal: page ≤ 1.5 × floor.
2. Unit report page (`/reports/assessments/<id>/`, a unit of bench-large, as the
   consultant, who also sees the portfolio median). Its floor: the same query for that
   one assessment, with the dimension, pivoted to capabilities × dimensions. The ratio
   is reported, not judged: with a few hundred answers the floor is a few milliseconds
   and the page's fixed costs (a dozen queries, two charts, recommendations, the
   template) make most of it. The goal is that the page does not grow with the
   portfolio: its time at --units units ≤ 1.5 × its time at 50 units (or + 25 ms,
   whichever is more, so that noise of a few milliseconds does not fail it).
3. Questionnaire save: one POST of every question of a capability, as the unit's lead
   (time, with every answer changing). Goal: the same number of SQL queries whether
   the POST changes every answer of the capability with the most questions, of the one
   with the fewest, or a single answer, at 50 and at --units units — a constant, not
   one per answer.
4. SQL queries of each page — portfolio, unit report, questionnaire page — at 50 and
   at --units units. Goal: equal.
5. Deck (PowerPoint) and XLSX exports of bench-deck (100 units): the whole export, from
   the database to the file's bytes: `report_data(organisation, cycle)` then
   `deck_pptx` / `report_workbook`. Goal: < 3 s each.
6. Peak memory: of the whole process (ru_maxrss, setup included), and the peak of
   Python allocations during one portfolio page request (tracemalloc). Reported, no
   goal.

The figures go to reports/bench/goals.py, which judges each goal from them alone (and is
tested on figures made by hand). The last line is `bench: ok` when every goal holds, else
`bench: FAIL — ` and what missed; the command then exits with status 1 (for CI).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from assessments.models import Capability
from reports.exporters.deck import deck_pptx
from reports.exporters.workbook import report_workbook
from reports.queries.exports import report_data

from .data import (
    Synthetic,
    load_default_framework,
    planner_statistics,
    synthetic_organisation,
    throwaway_database,
)
from .goals import Export, Figures, Report, SaveQueries, judge
from .tools import (
    QuestionnaireSave,
    alternating_medians,
    get,
    median_seconds,
    peak_memory_mib,
    portfolio_floor,
    query_count,
    traced_peak_mib,
    unit_report_floor,
)

SMALL_UNITS = 50
DECK_UNITS = 100
EXPORTERS = {
    "deck": deck_pptx,
    "XLSX": report_workbook,
}
# Pages render without collectstatic's manifest (plain static storage), with DEBUG off.
BENCH_SETTINGS = {
    "DEBUG": False,
    "ALLOWED_HOSTS": ["testserver"],
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
}


def run(
    *,
    units: int,
    respondents: int,
    repeat: int,
    export_units: int = DECK_UNITS,
    progress: Callable[[str], None],
) -> Report:
    """Build the organisations in a throwaway database, measure, and judge the figures."""
    header: list[str] = []
    started = time.perf_counter()
    with throwaway_database() as database, override_settings(**BENCH_SETTINGS):
        progress(f"bench: {database}")
        built = _build(
            units=units,
            respondents=respondents,
            export_units=export_units,
            header=header,
            progress=progress,
        )
        bench = _Bench(built, units=units, repeat=repeat, progress=progress)
        bench.portfolio()
        bench.unit_report()
        bench.questionnaire_save()
        bench.queries_per_page()
        bench.exports()
    figures = Figures(
        units=units, small_units=SMALL_UNITS, process_memory_mib=peak_memory_mib(), **bench.figures
    )
    header[:0] = [
        f"Ladder bench: {units} units × {respondents} respondent(s) on the default framework; "
        f"each time the median of {repeat} run(s).",
        f"{database} (destroyed after the run).",
    ]
    header.append(f"Total bench time {time.perf_counter() - started:.0f} s.")
    return judge(figures, header)


def _build(*, units, respondents, export_units, header, progress) -> dict[str, Synthetic]:
    framework = load_default_framework()
    consultant = get_user_model().objects.create(username="bench-consultant")
    built = {}
    for slug, size in (
        ("bench-small", SMALL_UNITS),
        ("bench-deck", export_units),
        ("bench-large", units),
    ):
        start = time.perf_counter()
        built[slug] = synthetic_organisation(
            framework=framework,
            slug=slug,
            units=size,
            respondents=respondents,
            consultant=consultant,
        )
        seconds = time.perf_counter() - start
        line = f"{slug}: {size} units, {built[slug].answers} answers, set up in {seconds:.1f} s."
        header.append(line)
        progress(f"bench: {line}")
    planner_statistics()
    return built


class _Bench:
    """Measures; `figures` collects what goals.Figures needs (but the sizes and ru_maxrss)."""

    def __init__(self, built: dict[str, Synthetic], *, units, repeat, progress):
        self.units, self.repeat, self.progress = units, repeat, progress
        self.figures: dict[str, object] = {}
        self.small, self.large, self.deck = (
            built["bench-small"],
            built["bench-large"],
            built["bench-deck"],
        )
        consultant = self.large.organisation.consultants.get()
        self.consultant = Client()
        self.consultant.force_login(consultant)
        capabilities = list(
            Capability.objects.filter(framework=self.large.cycle.framework).prefetch_related(
                "questions"
            )
        )
        size = lambda c: len(c.questions.all())  # noqa: E731
        self.fewest = min(capabilities, key=lambda c: (size(c), c.position))
        self.most = max(capabilities, key=lambda c: (size(c), -c.position))

    def lead(self, synthetic: Synthetic) -> Client:
        client = Client()
        client.force_login(synthetic.lead)
        return client

    @staticmethod
    def portfolio_url(synthetic: Synthetic) -> str:
        return f"{reverse('portfolio')}?organisation={synthetic.organisation.slug}"

    @staticmethod
    def unit_report_url(synthetic: Synthetic) -> str:
        return reverse("unit_report", kwargs={"pk": synthetic.assessments[0].pk})

    def questionnaire_url(self, synthetic: Synthetic) -> str:
        return reverse(
            "capability_answers",
            kwargs={"pk": synthetic.assessments[0].pk, "capability_code": self.most.code},
        )

    # 1.
    def portfolio(self) -> None:
        self.progress("bench: portfolio page")
        page, floor = alternating_medians(
            [
                get(self.consultant, self.portfolio_url(self.large)),
                lambda: portfolio_floor(self.large.cycle),
            ],
            self.repeat,
        )
        self.figures.update(
            portfolio_page=page,
            portfolio_floor=floor,
            page_memory_mib=traced_peak_mib(get(self.consultant, self.portfolio_url(self.large))),
        )

    # 2.
    def unit_report(self) -> None:
        self.progress("bench: unit report")
        at_large, at_small, floor = alternating_medians(
            [
                get(self.consultant, self.unit_report_url(self.large)),
                get(self.consultant, self.unit_report_url(self.small)),
                lambda: unit_report_floor(self.large.assessments[0]),
            ],
            self.repeat,
        )
        self.figures.update(
            unit_report_page=at_large, unit_report_page_small=at_small, unit_report_floor=floor
        )

    # 3.
    def questionnaire_save(self) -> None:
        self.progress("bench: questionnaire saves")
        counts = []
        for synthetic in (self.small, self.large):
            client = self.lead(synthetic)
            assessment = synthetic.assessments[0]
            for capability, changing in (
                (self.most, "all"),
                (self.fewest, "all"),
                (self.most, "one"),
            ):
                save = QuestionnaireSave(client, assessment, capability, changing)
                save()  # a respondent's first save also creates their response
                counts.append(
                    SaveQueries(
                        synthetic.organisation.slug,
                        capability.code,
                        save.changed,
                        query_count(save),
                    )
                )
                if synthetic is self.large and changing == "all" and capability is self.most:
                    self.figures.update(
                        save_seconds=median_seconds(save, self.repeat), save_changed=save.changed
                    )
        self.figures.update(
            save_queries=tuple(counts),
            most_questions=self.most.code,
            fewest_questions=self.fewest.code,
        )

    # 4.
    def queries_per_page(self) -> None:
        self.progress("bench: queries per page")
        lead_small, lead_large = self.lead(self.small), self.lead(self.large)
        pages = {
            "portfolio page": (
                get(self.consultant, self.portfolio_url(self.small)),
                get(self.consultant, self.portfolio_url(self.large)),
            ),
            "unit report page": (
                get(self.consultant, self.unit_report_url(self.small)),
                get(self.consultant, self.unit_report_url(self.large)),
            ),
            "questionnaire page": (
                get(lead_small, self.questionnaire_url(self.small)),
                get(lead_large, self.questionnaire_url(self.large)),
            ),
        }
        counts = {}
        for name, (at_small, at_large) in pages.items():
            at_small(), at_large()  # warm: sessions, first-visit writes
            counts[name] = (query_count(at_small), query_count(at_large))
        self.figures["page_queries"] = counts

    # 5.
    def exports(self) -> None:
        self.progress("bench: exports")
        organisation, cycle = self.deck.organisation, self.deck.cycle
        measured = []
        for kind, exporter in EXPORTERS.items():

            def export(exporter=exporter) -> bytes:
                return exporter(report_data(organisation, cycle))

            size = len(export())
            measured.append(Export(kind, median_seconds(export, self.repeat), size))
        self.figures.update(export_units=len(self.deck.assessments), exports=tuple(measured))
