import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.domain.answers import AnswerInput
from assessments.models import (
    Assessment,
    BusinessUnit,
    Cycle,
    Engagement,
    Framework,
    Membership,
    Organisation,
    TargetLevel,
    ValueBase,
)
from assessments.queries.frameworks import framework_questions
from assessments.services.answers import answers_save
from assessments.services.signoff import assessment_submit

DEMO_PASSWORD = "ladder-demo"
ORGANISATION = ("Northwind Retail Group", "northwind")
# slug, name, region, tags, base maturity (the level most answers sit around)
UNITS = [
    ("uk-retail", "UK Retail", "EMEA", "retail,stores", 3),
    ("de-ecommerce", "DE E-commerce", "EMEA", "ecommerce", 2),
    ("fr-loyalty", "FR Loyalty", "EMEA", "loyalty,crm", 2),
    ("us-retail", "US Retail", "Americas", "retail,stores", 3),
    ("ca-ecommerce", "CA E-commerce", "Americas", "ecommerce", 1),
    ("br-marketplace", "BR Marketplace", "Americas", "marketplace,ecommerce", 2),
]
CYCLES = ["2026-Q2", "2026-Q4"]
RESPONDENTS_PER_UNIT = 3
VALUE_BASES = {
    "attributable revenue": 40_000_000,
    "compliance incident cost": 3_000_000,
    "campaign operations cost": 12_000_000,
}
DEFAULT_VALUE_BASE = 5_000_000
# Units differ in size: these units' own attributable revenue replaces the organisation's
# 40,000,000 for their upgrades (the others follow the organisation's).
UNIT_VALUE_BASES = {
    "us-retail": {"attributable revenue": 90_000_000},
    "uk-retail": {"attributable revenue": 55_000_000},
    "ca-ecommerce": {"attributable revenue": 12_000_000},
    "br-marketplace": {"attributable revenue": 18_000_000},
}


def value_for_level(question, level: int, rng: random.Random) -> float:
    """A measured value that maps to `level` through the question's thresholds."""
    thresholds = question.threshold_levels
    if question.higher_is_better:
        low = thresholds.get(level, min(thresholds.values()) * 0.5)
        high = thresholds.get(
            level + 1, max(thresholds.values()) * 1.1 if level > 1 else thresholds[2]
        )
        high = min(high, 100) if question.unit == "%" else high
        return round(rng.uniform(low, high - 0.01), 1)
    high = thresholds.get(level, max(thresholds.values()) * 2)
    low = thresholds.get(level + 1, min(thresholds.values()) * 0.25)
    return round(rng.uniform(low + 0.01, high), 1)


class Command(BaseCommand):
    help = (
        "Create a demo organisation (six business units in two regions, two cycles, three "
        "respondents a unit, every assessment answered) and print the demo logins. "
        "Refuses to run when DEBUG is off."
    )

    def handle(self, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates users with a published password; it runs only with DJANGO_DEBUG=1"
            )
        framework = Framework.objects.filter(code="martech-infra").order_by("-loaded_at").first()
        if framework is None:
            raise CommandError(
                "the default framework is not loaded: run "
                "`manage.py load_framework fixtures/frameworks/martech-infra.yaml` first"
            )
        if Organisation.objects.filter(slug=ORGANISATION[1]).exists():
            self.stdout.write("Demo data already present; nothing created.")
        else:
            with transaction.atomic():
                self.create(framework)
        self.print_logins()

    def create(self, framework):
        rng = random.Random(2026)
        User = get_user_model()
        password = make_password(
            DEMO_PASSWORD
        )  # hashed once: 25 slow hashes of one password buy nothing

        def user_named(username: str, **fields):
            user, _ = User.objects.get_or_create(
                username=username, defaults={"password": password, **fields}
            )
            return user

        questions = framework_questions(framework)
        by_code = {q.code: q for q in questions}
        organisation = Organisation.objects.create(name=ORGANISATION[0], slug=ORGANISATION[1])
        consultant = user_named("consultant", first_name="Casey", last_name="Consultant")
        organisation.consultants.add(consultant)
        # The demo consultant may create organisations in the app ("New organisation").
        consultant.user_permissions.add(
            Permission.objects.get(
                content_type__app_label="assessments", codename="add_organisation"
            )
        )
        Engagement.objects.create(
            organisation=organisation,
            discount_rate=0.10,
            budget_per_cycle=2_000_000,
            funding_cycles=3,
            local_budget_bound=1_000_000,
            impact_threshold=250_000,
            default_target_level=4,
        )
        metrics = {q.capability.benefit_metric for q in questions}
        for metric in sorted(metrics):
            ValueBase.objects.create(
                organisation=organisation,
                benefit_metric=metric,
                annual_value=VALUE_BASES.get(metric, DEFAULT_VALUE_BASE),
            )
        TargetLevel.objects.create(organisation=organisation, capability_code="CPL", level=5)
        cycles = [
            Cycle.objects.create(organisation=organisation, name=name, framework=framework)
            for name in CYCLES
        ]
        cycles[0].is_open = False
        cycles[0].save(update_fields=["is_open"])

        for slug, name, region, tags, base in UNITS:
            unit = BusinessUnit.objects.create(
                organisation=organisation, slug=slug, name=name, region=region, tags=tags
            )
            for metric, amount in UNIT_VALUE_BASES.get(slug, {}).items():
                ValueBase.objects.create(
                    organisation=organisation, unit=unit, benefit_metric=metric, annual_value=amount
                )
            lead = user_named(f"lead-{slug}")
            Membership.objects.create(user=lead, unit=unit, role=Membership.Role.LEAD)
            respondents = []
            for n in range(1, RESPONDENTS_PER_UNIT + 1):
                user = user_named(f"respondent-{slug}-{n}")
                Membership.objects.create(user=user, unit=unit, role=Membership.Role.RESPONDENT)
                respondents.append(user)
            capability_level = {
                c: max(1, min(5, base + rng.choice([-1, 0, 0, 1])))
                for c in {q.capability.code for q in questions}
            }
            for index, cycle in enumerate(cycles):
                assessment = Assessment.objects.create(unit=unit, cycle=cycle)
                latest = index == len(cycles) - 1
                for n, user in enumerate(respondents, start=1):
                    # The last respondent of the open cycle has only started: resume where they left off.
                    partial = latest and n == RESPONDENTS_PER_UNIT
                    answers = {}
                    for q in questions:
                        if partial and q.capability.position >= 3:
                            continue
                        target = capability_level[q.capability.code] + (
                            rng.choice([0, 0, 1]) if latest else 0
                        )
                        level = max(1, min(5, target + rng.choice([-1, 0, 0, 0, 1])))
                        roll = rng.random()
                        if roll < 0.03:
                            answers[q.code] = AnswerInput(special="dk")
                        elif roll < 0.05:
                            answers[q.code] = AnswerInput(
                                special="na", comment="Not run in this unit."
                            )
                        elif q.type == "numeric":
                            answers[q.code] = AnswerInput(value=value_for_level(q, level, rng))
                        else:
                            answers[q.code] = AnswerInput(choice=level)
                    answers_save(
                        assessment=assessment,
                        respondent=user.username,
                        user=user,
                        questions=by_code,
                        answers=answers,
                    )
                if not latest:
                    assessment_submit(
                        assessment=assessment, user=lead, confirmed=True, notify=False
                    )
        self.stdout.write(
            f"Created {organisation.name}: {len(UNITS)} units, {len(CYCLES)} cycles, "
            f"{len(UNITS) * (RESPONDENTS_PER_UNIT + 1) + 1} users."
        )

    def print_logins(self):
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        self.stdout.write(
            "  consultant                    sees every unit of Northwind Retail Group"
        )
        for slug, name, *_ in UNITS:
            names = ", ".join(f"respondent-{slug}-{n}" for n in range(1, RESPONDENTS_PER_UNIT + 1))
            self.stdout.write(f"  lead-{slug:<24}  {name}: lead; respondents {names}")
