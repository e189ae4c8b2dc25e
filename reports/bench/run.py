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

What is measured, and the goal each figure must meet. Every page and its floor (1.–2.)
are timed in ONE alternating run (tools.alternating_medians), run for run:

1. What a consultant reads, through Django's test client — the whole request,
   middleware to rendered HTML, without a network — as the consultant of bench-large:
   the portfolio heatmap (`/reports/portfolio/`), the comparison of five units
   (`/reports/compare/`) and a unit report (`/reports/assessments/<id>/`, also at the
   50-unit organisation). Their floors read what the pages read, stored scores
   (assessments.StoredScore), in the least work possible: ONE raw SQL query through
   Django's cursor of the cycle's stored capability scores and ONE pandas
   `pivot_table` to units × capabilities (portfolio and compare); ONE query of the
   assessment's stored cell scores pivoted to capabilities × dimensions (unit report).
   Goal (the gate): each page ≤ 3 × its floor at --units units; and the unit report at
   --units units ≤ 1.5 × its time at 50 units (or + 25 ms, whichever is more), so that
   it does not grow with the portfolio.
2. What a respondent waits for, as the lead of a unit of bench-large: the questionnaire
   page of the capability with the most questions (GET) and its save (a POST changing
   every answer). Their floors are the same requests' SQL, captured untimed just before
   (tools.RawReplay), issued raw through the cursor in one transaction, every row
   fetched and `json.dumps`-ed: what the page costs beyond its queries is Python.
   Goal (the gate): ≤ 3 × the floor; the median server time ≤ 15 ms is reported.
   Beside them, reported: Django alone, as the same respondent, through the bench's own
   URLconf (reports/bench/urls.py) — an empty signed-in page (session, user, middleware;
   no template) against its own SQL replayed raw, and the layout page (base.html, no
   content) against the questionnaire page's floor: how much of 3 × that floor is spent
   before a page reads anything of Ladder's.
3. Questionnaire save queries: one POST of every question of a capability, as the
   unit's lead. Goal: the same number of SQL queries whether the POST changes every
   answer of the capability with the most questions, of the one with the fewest, or a
   single answer, at 50 and at --units units — a constant, not one per answer.
4. SQL queries of each page — portfolio, unit report, questionnaire page — at 50 and
   at --units units. Goal: equal.
5. Deck (PowerPoint) and XLSX exports of bench-deck (100 units): the whole export, from
   the database to the file's bytes: `report_data(organisation, cycle)` then
   `deck_pptx` / `report_workbook`. Goal: < 3 s each.
6. Peak memory: of the whole process (ru_maxrss, setup included), and the peak of
   Python allocations during one portfolio page request (tracemalloc). Reported, no
   goal.
7. Autosave (static/ladder/autosave.js): one answer of the capability with the most
   questions, as its page sends it, as the unit's lead. Its SQL queries at 50 and at
   --units units: goal equal; its median beside the questionnaire page's, timed in
   alternation at --units units (reported).

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
    AutosaveRequest,
    QuestionnaireSave,
    RawReplay,
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
COMPARED_UNITS = 5  # the compare page of the bench: a reference unit and four others
DECK_UNITS = 100
EXPORTERS = {
    "deck": deck_pptx,
    "XLSX": report_workbook,
}
# Pages render without collectstatic's manifest (plain static storage), with DEBUG off.
BENCH_SETTINGS = {
    "DEBUG": False,
    "ALLOWED_HOSTS": ["testserver"],
    # The app's pages and the bench's two of Django alone (reports/bench/urls.py).
    "ROOT_URLCONF": "reports.bench.urls",
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
        bench.timings()
        bench.questionnaire_save()
        bench.queries_per_page()
        bench.exports()
        bench.autosave()
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

    def compare_url(self, synthetic: Synthetic) -> str:
        compared = min(COMPARED_UNITS, len(synthetic.assessments))
        units = "&".join(f"units=unit-{n:04d}" for n in range(1, compared))
        return (
            f"{reverse('compare')}?organisation={synthetic.organisation.slug}"
            f"&cycle={synthetic.cycle.name}&reference=unit-0000&{units}"
        )

    # 1-3. Every page and its floor, in alternation in one run.
    def timings(self) -> None:
        self.progress("bench: pages and their floors, in alternation")
        lead = self.lead(self.large)
        assessment = self.large.assessments[0]
        questionnaire = get(lead, self.questionnaire_url(self.large))
        questionnaire()  # warm: the respondent's first visit
        save = QuestionnaireSave(lead, assessment, self.most, "all")
        save()  # a respondent's first save also creates their response
        # Django alone, as the same respondent: the yardstick of the questionnaire's floors.
        empty, layout = (
            get(lead, reverse("bench_empty_page")),
            get(lead, reverse("bench_layout_page")),
        )
        actions = {
            "portfolio": get(self.consultant, self.portfolio_url(self.large)),
            "compare": get(self.consultant, self.compare_url(self.large)),
            "portfolio floor": lambda: portfolio_floor(self.large.cycle),
            "unit report": get(self.consultant, self.unit_report_url(self.large)),
            "unit report small": get(self.consultant, self.unit_report_url(self.small)),
            "unit report floor": lambda: unit_report_floor(assessment),
            "questionnaire page": questionnaire,
            "questionnaire floor": RawReplay(questionnaire),
            "save": save,
            "save floor": RawReplay(save),
            "empty page": empty,
            "empty page floor": RawReplay(empty),
            "layout page": layout,
        }
        medians = dict(
            zip(actions, alternating_medians(list(actions.values()), self.repeat), strict=True)
        )
        self.figures.update(
            portfolio_page=medians["portfolio"],
            compare_page=medians["compare"],
            portfolio_floor=medians["portfolio floor"],
            unit_report_page=medians["unit report"],
            unit_report_page_small=medians["unit report small"],
            unit_report_floor=medians["unit report floor"],
            questionnaire_page=medians["questionnaire page"],
            questionnaire_floor=medians["questionnaire floor"],
            save_seconds=medians["save"],
            save_floor=medians["save floor"],
            save_changed=save.changed,
            empty_page=medians["empty page"],
            empty_page_floor=medians["empty page floor"],
            layout_page=medians["layout page"],
            page_memory_mib=traced_peak_mib(get(self.consultant, self.portfolio_url(self.large))),
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

    # 7.
    def autosave(self) -> None:
        self.progress("bench: autosave")
        counts = []
        for synthetic in (self.small, self.large):
            lead = self.lead(synthetic)
            autosave = AutosaveRequest(lead, synthetic.assessments[0], self.most)
            autosave(), autosave()  # the first learns the stored version
            counts.append(query_count(autosave))
        page = get(lead, self.questionnaire_url(self.large))
        page()
        page_seconds, autosave_seconds = alternating_medians([page, autosave], self.repeat)
        self.figures.update(
            autosave_queries=tuple(counts),
            autosave_seconds=autosave_seconds,
            autosave_page_seconds=page_seconds,
        )

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
