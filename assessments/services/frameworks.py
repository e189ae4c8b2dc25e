"""Writes of frameworks: storing a validated framework file."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from assessments import audit
from assessments.domain.framework_file import FrameworkSpec
from assessments.models import Capability, Dimension, Framework, Level, Profile, Question

from .retry import retried_once


@retried_once
@transaction.atomic
def framework_load(*, spec: FrameworkSpec, actor=None) -> tuple[Framework, bool]:
    """Store a validated framework. Returns (framework, created).

    Loading the same file again changes nothing. A new version string adds a new
    version beside the old ones. A version already loaded from different content
    is replaced only while no assessment uses it.
    """
    existing = Framework.objects.filter(code=spec.code, version=spec.version).first()
    if existing is not None:
        if existing.source_sha256 == spec.source_sha256:
            return existing, False
        if existing.is_in_use:
            raise ValidationError(
                f"framework {spec.code} version {spec.version} is used by assessments and cannot change; "
                "give the file a new version"
            )
        existing.delete()

    framework = Framework.objects.create(
        code=spec.code,
        version=spec.version,
        name=spec.name,
        source_sha256=spec.source_sha256,
        introduction=spec.introduction,
        description=spec.description,
        aggregation=spec.aggregation,
    )
    Level.objects.bulk_create(
        Level(
            framework=framework,
            number=level.number,
            name=level.name,
            description=level.description,
            benefit_factor=level.benefit_factor,
            cost_multiplier=level.cost_multiplier,
        )
        for level in spec.levels
    )
    dimensions = {
        d.code: Dimension.objects.create(
            framework=framework, code=d.code, name=d.name, description=d.description, position=i
        )
        for i, d in enumerate(spec.dimensions)
    }
    position = 0
    for index, capability_spec in enumerate(spec.capabilities):
        capability = Capability.objects.create(
            framework=framework,
            code=capability_spec.code,
            name=capability_spec.name,
            description=capability_spec.description,
            position=index,
            cost_low=capability_spec.cost_low,
            cost_high=capability_spec.cost_high,
            cost_is_assumption=capability_spec.cost_is_assumption,
            impact=capability_spec.impact,
            benefit_metric=capability_spec.benefit_metric,
            benefit_percent=capability_spec.benefit_percent,
            time_to_value_months=capability_spec.time_to_value_months,
            aggregation=capability_spec.aggregation,
            groups=list(capability_spec.groups),
        )
        questions = []
        for question in capability_spec.questions:
            questions.append(
                Question(
                    framework=framework,
                    capability=capability,
                    dimension=dimensions[question.dimension],
                    code=question.code,
                    position=position,
                    text=question.text,
                    help=question.help,
                    weight=question.weight,
                    type=question.type,
                    options={str(k): v for k, v in question.options.items()},
                    unit=question.unit,
                    higher_is_better=question.higher_is_better,
                    thresholds={str(k): v for k, v in question.thresholds.items()},
                    level=question.level,
                    option_values={str(k): v for k, v in question.option_values.items()},
                )
            )
            position += 1
        Question.objects.bulk_create(questions)
    if spec.profiles:
        _store_profiles(framework, spec)
    audit.record(
        "framework.load",
        actor=actor,
        details={"code": spec.code, "version": spec.version, "sha256": spec.source_sha256},
    )
    return framework, True


def _store_profiles(framework: Framework, spec: FrameworkSpec) -> None:
    """The framework's profiles, each with its questions: those the file names it for, and
    those that name no profile."""
    Profile.objects.bulk_create(
        Profile(
            framework=framework,
            code=profile.code,
            name=profile.name,
            description=profile.description,
            position=index,
        )
        for index, profile in enumerate(spec.profiles)
    )
    profile_ids = dict(Profile.objects.filter(framework=framework).values_list("code", "pk"))
    question_ids = dict(Question.objects.filter(framework=framework).values_list("code", "pk"))
    Through = Profile.questions.through
    Through.objects.bulk_create(
        Through(profile_id=profile_ids[code], question_id=question_ids[question.code])
        for question in spec.questions
        for code in question.profiles or profile_ids
    )
