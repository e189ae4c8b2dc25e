"""Organisations for the export tests (deck, workbook, CSV, chart images).

`scored_organisation` puts each unit's capabilities at chosen levels on the small
framework (tests/report_factories.py) and gives the organisation the seed's
engagement inputs (tests/recommendation_factories.py). `demo_like` answers the
default framework for many units, as `seed_demo` does, for the LibreOffice check.
"""

from __future__ import annotations

import random

from assessments.domain.answers import AnswerInput
from assessments.management.commands.seed_demo import value_for_level
from assessments.models import Assessment, Question
from assessments.services.answers import answers_save
from assessments.services.scores import scores_refresh
from tests import factories
from tests.recommendation_factories import seed_engagement
from tests.report_factories import portfolio

# 2026-Q4: East 3/3, South 2/4, North 3/2, West only IDG at 1 (CPL has no score).
UNITS = {
    "north": {"region": "EMEA", "tags": "retail", "2026-Q4": {"IDG": 3, "CPL": 2}},
    "south": {"region": "Americas", "tags": "ecommerce", "2026-Q4": {"IDG": 2, "CPL": 4}},
    "east": {"region": "EMEA", "tags": "retail", "2026-Q4": {"IDG": 3, "CPL": 3}},
    "west": {"region": "Americas", "tags": "retail", "2026-Q4": {"IDG": 1}},
}


def scored_organisation(
    small, units=None, consultant=None, respondents: int = 1, slug: str = "acme"
):
    """(organisation, its 2026-Q4 cycle, {(unit slug, cycle): assessment}); the consultant
    is `casey` (`casey-<slug>` for another slug) unless given."""
    consultant = consultant or factories.user("casey" if slug == "acme" else f"casey-{slug}")
    org, _, assessments = portfolio(
        small, units=units or UNITS, consultant=consultant, respondents=respondents, slug=slug
    )
    seed_engagement(org)
    return org, org.cycles.get(name="2026-Q4"), assessments


def many_units(count: int) -> dict:
    """`count` units whose levels vary, all assessed in 2026-Q4."""
    return {
        f"unit-{n:02d}": {
            "region": "EMEA" if n % 2 else "Americas",
            "tags": "retail",
            "2026-Q4": {"IDG": 1 + n % 5, "CPL": 1 + (n * 2) % 5},
        }
        for n in range(count)
    }


def demo_like(framework, count: int, respondents: int = 2):
    """An organisation with `count` units answering every question of `framework` (the
    default one) around a base level per unit, in cycle 2026-Q4, with engagement inputs."""
    rng = random.Random(5)
    org = factories.organisation("northwind", consultants=[factories.user("consultant")])
    org.name = "Northwind Retail Group"
    org.save()
    seed_engagement(org)
    cycle = factories.cycle(org, framework)
    questions = {q.code: q for q in Question.objects.filter(framework=framework)}
    for n in range(count):
        unit = factories.unit(org, f"unit-{n:02d}", region=("EMEA", "Americas")[n % 2])
        assessment = factories.assessment(unit, cycle)
        base = 1 + n % 4
        for r in range(respondents):
            answers = {}
            for code, question in questions.items():
                level = max(1, min(5, base + rng.choice((-1, 0, 0, 1))))
                if question.type == Question.Type.CHOICE:
                    answers[code] = AnswerInput(choice=level)
                else:
                    answers[code] = AnswerInput(value=value_for_level(question, level, rng))
            answers_save(
                assessment=assessment,
                respondent=f"r{r}",
                questions=questions,
                answers=answers,
                refresh_scores=False,
            )
    # The services' way of saving many respondents: their scores stored once at the end.
    scores_refresh(assessments=Assessment.objects.filter(cycle=cycle))
    return org, cycle
