"""Capability groups (issue 15, item 4; docs/frameworks.md, "Capability groups"): a
framework may put its capabilities in groups, at any depth up to 5 (SAMM's business
functions, NIST CSF's functions, DSOMM's dimensions); a group's score is the mean of its
capabilities' scores and its level their lowest, shown on the unit report."""

from __future__ import annotations

import pytest

from assessments.domain.framework_file import FrameworkError, parse_framework
from assessments.services.frameworks import framework_load
from reports.domain.groups import GroupScore, group_scores
from tests import factories
from tests.pages import cells, parse, text, the

GROUPED = factories.SMALL_FRAMEWORK.replace(
    "    name: Identity Graph Enhancements\n",
    "    name: Identity Graph Enhancements\n    group: [Data, Identity]\n",
).replace(
    "    name: Consent and Privacy Layer\n",
    "    name: Consent and Privacy Layer\n    group: Data\n",
)


def test_a_group_scores_the_mean_of_its_capabilities_and_the_lowest_level():
    """SAMM's Design function with Threat Assessment at 2.375 (level 1) and Security
    Requirements at 1.0 (level 1): (2.375 + 1.0) / 2 = 1.6875, level 1. Governance holds an
    unscored practice beside one at 3.0 (level 3): 3.0, level 3, 1 of 2 scored. A nested
    group counts in each group above it."""
    assert group_scores(
        [
            (("Design",), 2.375, 1),
            (("Design",), 1.0, 1),
            (("Governance",), None, None),
            (("Governance", "Policy"), 3.0, 3),
            ((), 4.0, 4),  # not grouped: in no group
        ]
    ) == [
        GroupScore(("Design",), 1.6875, 1, capabilities=2, scored=2),
        GroupScore(("Governance",), 3.0, 3, capabilities=2, scored=1),
        GroupScore(("Governance", "Policy"), 3.0, 3, capabilities=1, scored=1),
    ]
    assert group_scores([((), 2.0, 2)]) == []


def test_the_loader_reads_a_group_or_a_path_of_them():
    spec = parse_framework(GROUPED, "f.yaml")
    assert [c.groups for c in spec.capabilities] == [("Data", "Identity"), ("Data",)]
    assert parse_framework(factories.SMALL_FRAMEWORK, "f.yaml").capabilities[0].groups == ()


@pytest.mark.parametrize(
    ("group", "problem"),
    [
        ("[]", "group: expected a group name or a list of them, got an empty list"),
        ("[a, b, c, d, e, f]", "group: at most 5 levels of groups, got 6"),
        ("[Data, 7]", "group[1]: expected a group name, got 7"),
        (
            "No",
            "group: a group name was read as the boolean false (YAML reads an unquoted yes, "
            'no, on, off, true or false as a boolean): quote it, e.g. "No"',
        ),
        (f"'{'x' * 201}'", "group: group name has 201 characters (at most 200)"),
    ],
)
def test_the_loader_says_what_is_wrong_with_a_group(group, problem):
    text_ = GROUPED.replace("group: [Data, Identity]", f"group: {group}")
    with pytest.raises(FrameworkError) as refused:
        parse_framework(text_, "f.yaml")
    assert refused.value.problems == [f"f.yaml: capabilities[0] (IDG).{problem}"]


def test_the_unit_report_shows_each_groups_rolled_up_score(client, db):
    framework, _ = framework_load(spec=parse_framework(GROUPED, "grouped.yaml"))
    assessment, ann = factories.unit_assessment(framework)
    client.force_login(ann)
    base = f"/assessments/{assessment.pk}/capabilities"
    # IDG: fidelity 3 and 55 % (2) → (3·2 + 2) / 3 = 2.67; recovery 30 h → 2: level 2, score
    # 2.33. CPL: fidelity 4, recovery 3: level 3, score 3.5.
    client.post(f"{base}/IDG/", {"IDG-FID-1": "3", "IDG-FID-2": "55", "IDG-REC-1": "30"})
    client.post(f"{base}/CPL/", {"CPL-FID-1": "4", "CPL-REC-1": "3"})
    page = parse(client.get(f"/reports/assessments/{assessment.pk}/"))
    rows = the(page, "#group-scores tbody").find_all("tr")
    # Data: (2.33 + 3.5) / 2 = 2.92, level min(2, 3) = 2; Identity (IDG alone): 2.33, 2.
    assert [cells(row) for row in rows] == [
        ["Data", "2 Repeatable", "2.92", "2 of 2"],
        ["Identity", "2 Repeatable", "2.33", "1 of 1"],
    ]
    assert [row["data-depth"] for row in rows] == ["0", "1"]


def test_an_ungrouped_framework_shows_no_group_table(client, db):
    assessment, ann = factories.unit_assessment(factories.small_framework())
    client.force_login(ann)
    page = parse(client.get(f"/reports/assessments/{assessment.pk}/"))
    assert page.select("#group-scores") == []
    assert text(page.select("h2")[0]) == "Capability × dimension"


def test_the_portfolio_shows_units_by_top_level_group(client, db):
    """North: IDG 2, CPL 4 → Data 3.00 at level 2; South: both 3 → Data 3.00 at 3. Only
    top-level groups are columns (Identity sits inside Data)."""
    from tests.report_factories import portfolio

    grouped, _ = framework_load(spec=parse_framework(GROUPED, "grouped.yaml"))
    consultant = factories.user("casey")
    portfolio(
        grouped,
        units={
            "north": {"2026-Q4": {"IDG": 2, "CPL": 4}},
            "south": {"2026-Q4": {"IDG": 3, "CPL": 3}},
        },
        consultant=consultant,
    )
    client.force_login(consultant)
    page = parse(client.get("/reports/portfolio/?organisation=acme&cycle=2026-Q4"))
    table = the(page, "#portfolio-groups")
    assert cells(table.select_one("thead tr")) == ["Unit", "Data"]
    rows = {cells(row)[0]: cells(row)[1:] for row in table.select("tbody tr")}
    assert rows == {"North": ["2 · 3.00*"], "South": ["3 · 3.00"]}  # * held by IDG
    assert table.select("tbody td")[0]["class"] != table.select("tbody td")[1]["class"]


def test_an_ungrouped_portfolio_has_no_group_table(client, db):
    from tests.report_factories import portfolio

    consultant = factories.user("casey")
    portfolio(
        factories.small_framework(),
        units={"north": {"2026-Q4": {"IDG": 2, "CPL": 4}}},
        consultant=consultant,
    )
    client.force_login(consultant)
    page = parse(client.get("/reports/portfolio/?organisation=acme&cycle=2026-Q4"))
    assert page.select("#portfolio-groups") == []
    assert page.select("#portfolio-heatmap")
