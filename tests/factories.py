"""Factories for tests: small, explicit, no fixtures files."""

from __future__ import annotations

import functools
import itertools
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from assessments.domain.framework_file import FrameworkError, parse_framework
from assessments.models import Assessment, BusinessUnit, Cycle, Membership, Organisation
from assessments.services.frameworks import framework_load

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FRAMEWORK = ROOT / "fixtures" / "frameworks" / "martech-infra.yaml"
PASSWORD = "a-test-password-1"
_counter = itertools.count(1)

# A small framework: two capabilities, two dimensions, five levels.
SMALL_FRAMEWORK = """
framework: {code: small, version: "1", name: Small framework}
levels:
  - {number: 1, name: Initial}
  - {number: 2, name: Repeatable}
  - {number: 3, name: Managed}
  - {number: 4, name: Optimized, benefit_factor: 0.7}
  - {number: 5, name: Autonomous, benefit_factor: 0.4}
dimensions:
  - {code: fidelity, name: Data fidelity}
  - {code: recovery, name: Recovery (RTO)}
capabilities:
  - code: IDG
    name: Identity Graph Enhancements
    cost_low: 500000
    cost_high: 1200000
    cost_is_assumption: false
    impact: 12% revenue attribution improvement
    benefit_metric: attributable revenue
    benefit_percent: 12
    time_to_value_months: 6
    questions:
      - code: IDG-FID-1
        dimension: fidelity
        weight: 2
        type: choice
        text: How are customer identities resolved across channels?
        options: {1: "By hand in spreadsheets", 2: "Scripted batch matching", 3: "Managed matching service", 4: "Measured and tuned matching", 5: "Continuous self-tuning matching"}
      - code: IDG-FID-2
        dimension: fidelity
        type: numeric
        unit: "%"
        text: Persistent identity match rate
        thresholds: {2: 50, 3: 62, 4: 75, 5: 88}
      - code: IDG-REC-1
        dimension: recovery
        type: numeric
        unit: hours
        higher_is_better: false
        text: Measured RTO
        thresholds: {2: 72, 3: 24, 4: 4, 5: 1}
  - code: CPL
    name: Consent and Privacy Layer
    cost_low: 300000
    cost_high: 800000
    cost_is_assumption: false
    impact: 40% reduction in compliance incidents
    benefit_metric: compliance incident cost
    benefit_percent: 40
    time_to_value_months: 4
    questions:
      - code: CPL-FID-1
        dimension: fidelity
        type: choice
        text: How is consent captured?
        options: {1: "Paper forms", 2: "Per-site banners", 3: "Central consent store", 4: "Audited consent store", 5: "Self-reconciling consent graph"}
      - code: CPL-REC-1
        dimension: recovery
        type: choice
        text: How is the consent store backed up?
        options: {1: "Not backed up", 2: "Manual exports", 3: "Nightly backups", 4: "Tested restores", 5: "Automatic failover"}
"""


@functools.cache
def _parsed(name: str):
    """A framework file parsed once per test process (the spec is frozen: nobody changes it)."""
    if name == "small":
        return parse_framework(SMALL_FRAMEWORK, "small.yaml")
    return parse_framework(DEFAULT_FRAMEWORK.read_text(), str(DEFAULT_FRAMEWORK))


def framework_problems(text: str, path: str = "f.yaml") -> list[str]:
    """What the framework loader says is wrong with `text`, problem by problem (it must
    refuse it)."""
    with pytest.raises(FrameworkError) as refused:
        parse_framework(text, path)
    return refused.value.problems


def small_framework():
    framework, _ = framework_load(spec=_parsed("small"))
    return framework


def default_framework():
    framework, _ = framework_load(spec=_parsed("default"))
    return framework


def user(username: str | None = None, **fields):
    username = username or f"user-{next(_counter)}"
    return get_user_model().objects.create_user(username, password=PASSWORD, **fields)


def organisation(slug: str | None = None, consultants=()):
    slug = slug or f"org-{next(_counter)}"
    org = Organisation.objects.create(name=slug.title(), slug=slug)
    org.consultants.add(*consultants)
    return org


def unit(org, slug: str | None = None, region: str = "EMEA", tags: str = ""):
    slug = slug or f"unit-{next(_counter)}"
    return BusinessUnit.objects.create(
        organisation=org, slug=slug, name=slug.title(), region=region, tags=tags
    )


def member(unit_, role: str = Membership.Role.RESPONDENT, username: str | None = None):
    person = user(username)
    Membership.objects.create(user=person, unit=unit_, role=role)
    return person


def cycle(org, framework, name: str = "2026-Q4"):
    return Cycle.objects.create(organisation=org, name=name, framework=framework)


def assessment(unit_, cycle_):
    return Assessment.objects.create(unit=unit_, cycle=cycle_)


def unit_assessment(framework, respondent: str = "ann"):
    """Organisation acme, its unit north, the unit's assessment of `framework` and one
    respondent: what a test of a framework's questionnaire and scores starts from."""
    org = organisation("acme")
    unit_ = unit(org, "north")
    return assessment(unit_, cycle(org, framework)), member(
        unit_, Membership.Role.RESPONDENT, username=respondent
    )
