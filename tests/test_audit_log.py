"""The audit log page: consultants read their organisations' entries, filtered and paged."""

import datetime

import pytest
from django.utils import timezone

from assessments import audit
from assessments.models import AuditEntry, Membership
from tests import factories
from tests.pages import parse


@pytest.fixture
def world(db):
    consultant = factories.user("consultant")
    other_consultant = factories.user("other-consultant")
    acme = factories.organisation("acme", consultants=[consultant])
    globex = factories.organisation("globex", consultants=[other_consultant])
    uk, de = factories.unit(acme, "uk"), factories.unit(acme, "de")
    factories.unit(globex, "us")
    lead = factories.member(uk, Membership.Role.LEAD, username="lead")
    audit.record("test.event", actor="ann", organisation="acme", unit="uk", details={"n": 1})
    audit.record("test.event", actor="dirk", organisation="acme", unit="de", details={"n": 2})
    audit.record("test.event", actor="gus", organisation="globex", unit="us", details={"n": 3})
    audit.record("login.failure", details={"username": "mallory", "ip": "10.0.0.9"})
    return {
        "consultant": consultant,
        "other_consultant": other_consultant,
        "lead": lead,
        "uk": uk,
        "de": de,
    }


def shown(page) -> list:
    """The entries listed, newest first: their sequence in acme's chain, or (chain,
    sequence) for the other chains."""
    return [
        entry.sequence if entry.organisation == "acme" else (entry.organisation, entry.sequence)
        for entry, _ in page.context["rows"]
    ]


def test_consultant_sees_only_their_organisations_entries(client, world):
    client.force_login(world["consultant"])
    page = client.get("/audit/")
    assert page.status_code == 200
    assert shown(page) == [2, 1]
    assert "gus" not in page.content.decode() and "mallory" not in page.content.decode()


def test_admin_sees_every_entry(client, world):
    client.force_login(factories.user("root", is_superuser=True, is_staff=True))
    assert shown(client.get("/audit/")) == [("", 1), ("globex", 1), 2, 1]


def test_unit_members_and_strangers_get_404(client, world):
    client.force_login(world["lead"])
    assert client.get("/audit/").status_code == 404
    client.force_login(factories.user("stranger"))
    assert client.get("/audit/").status_code == 404


def test_consultant_filters_by_unit(client, world):
    client.force_login(world["consultant"])
    assert shown(client.get("/audit/", {"unit": "acme/de"})) == [2]


def test_unit_of_another_organisation_is_not_a_choice(client, world):
    client.force_login(world["consultant"])
    page = client.get("/audit/", {"unit": "globex/us"})
    assert shown(page) == []
    assert page.context["form"].errors == {
        "unit": ["Select a valid choice. globex/us is not one of the available choices."]
    }


def test_consultant_filters_by_date_range(client, world):
    AuditEntry.objects.filter(sequence=1).update(
        at=datetime.datetime(2026, 3, 1, 23, 59, tzinfo=datetime.UTC)
    )
    AuditEntry.objects.filter(sequence=2).update(
        at=datetime.datetime(2026, 3, 2, 0, 0, tzinfo=datetime.UTC)
    )
    client.force_login(world["consultant"])
    assert shown(client.get("/audit/", {"date_from": "2026-03-02"})) == [2]
    assert shown(client.get("/audit/", {"date_to": "2026-03-01"})) == [1]
    assert shown(client.get("/audit/", {"date_from": "2026-03-01", "date_to": "2026-03-01"})) == [1]


def test_date_range_the_wrong_way_round_is_an_error_beside_the_field(client, world):
    client.force_login(world["consultant"])
    page = client.get("/audit/", {"date_from": "2026-03-05", "date_to": "2026-03-01"})
    assert page.status_code == 200
    assert page.context["form"].errors == {
        "date_to": ["The end date (2026-03-01) is before the start date (2026-03-05)."]
    }
    assert shown(page) == []
    assert "The end date (2026-03-01) is before the start date (2026-03-05)." in (
        page.content.decode()
    )


def test_not_a_date_is_an_error(client, world):
    client.force_login(world["consultant"])
    page = client.get("/audit/", {"date_from": "yesterday"})
    assert page.context["form"].errors == {"date_from": ["Enter a valid date."]}


def test_pages_of_fifty_newest_first_keep_the_filter(client, world):
    for n in range(60):
        audit.record("test.event", actor="ann", organisation="acme", unit="uk", details={"n": n})
    client.force_login(world["consultant"])
    first = client.get("/audit/", {"unit": "acme/uk"})
    # acme's chain: #1 (uk), #2 (de), then the 60 new uk entries #3 … #62
    assert len(shown(first)) == 50 and shown(first)[0] == 62
    links = {link["href"] for link in parse(first).select("a[href]")}
    assert "?unit=acme%2Fuk&page=2" in links
    second = client.get("/audit/", {"unit": "acme/uk", "page": 2})
    assert shown(second) == list(range(12, 2, -1)) + [1]


def test_later_pages_cost_the_queries_of_the_first(client, world, django_assert_num_queries):
    for n in range(120):
        audit.record("test.event", actor="ann", organisation="acme", unit="uk", details={"n": n})
    client.force_login(world["consultant"])
    client.get("/audit/")  # warm: the session
    pages = []
    for number in (1, 2, 3):
        # session, user, organisations, units, count, page of entries, the menu's check
        with django_assert_num_queries(7):
            pages.append(client.get("/audit/", {"page": number}))
    assert [len(shown(page)) for page in pages] == [50, 50, 22]
    assert pages[1].context["page"].number == 2
    assert "Page 2 of 3 · 122 entries" in pages[1].content.decode()


def test_details_of_many_lines_are_collapsed_behind_their_first(client, world):
    audit.record(
        "answers.change",
        organisation="acme",
        unit="uk",
        details={"changes": {f"Q-{n}": ["1", "2"] for n in range(5)}},
    )
    client.force_login(world["consultant"])
    cell = parse(client.get("/audit/")).select_one("#audit-entries tbody tr td.small")
    details = cell.select_one("details.audit-details")
    assert details is not None
    summary = details.select_one("summary").get_text(" ", strip=True)
    assert summary.endswith("more)") and "Q-0" in summary
    assert (
        len(details.select("div"))
        == len(audit.describe({"changes": {f"Q-{n}": ["1", "2"] for n in range(5)}})) - 1
    )


def test_answer_changes_are_shown_old_to_new_as_escaped_text(client, world):
    audit.record(
        "answers.change",
        actor="ann",
        organisation="acme",
        unit="uk",
        details={
            "changes": {"IDG-FID-1": ["3", "5"]},
            "notes": {"IDG-FID-1": {"comment": ["", "<script>alert(1)</script>"]}},
        },
    )
    client.force_login(world["consultant"])
    html = client.get("/audit/").content.decode()
    assert "IDG-FID-1: 3 → 5" in html
    assert "IDG-FID-1 comment: “” → “&lt;script&gt;alert(1)&lt;/script&gt;”" in html
    assert "<script>alert(1)" not in html


@pytest.mark.parametrize("units", [2, 6])
def test_query_count_does_not_grow_with_units_or_entries(
    client, world, units, django_assert_num_queries
):
    acme = world["uk"].organisation
    for n in range(units):
        unit = factories.unit(acme, f"extra-{n}")
        for _ in range(units):
            audit.record("test.event", organisation="acme", unit=unit.slug)
    client.force_login(world["consultant"])
    # session, user, organisations, units, count, page of entries, the menu's consultant check
    with django_assert_num_queries(7):
        page = client.get("/audit/", {"date_from": timezone.now().date().isoformat()})
    assert len(shown(page)) == 2 + units * units


def test_details_of_any_shape_are_shown_as_text():
    assert audit.describe(
        {
            "changes": {"discount_rate": [0.1, 0.12], "target: IDG": [None, 3], "odd": "x"},
            "file": "offline.csv",
            "created": ["unit acme/fr", "cycle acme/2027-Q1"],
        }
    ) == [
        "discount_rate: 0.1 → 0.12",
        "odd: x",
        "target: IDG: — → 3",
        "file: offline.csv",
        "created: unit acme/fr, cycle acme/2027-Q1",
    ]
