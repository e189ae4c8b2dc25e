"""Set-up in the app: a consultant creates an organisation, its cycles and units (one by
one or from a CSV)."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments.domain import limits
from assessments.domain.unit_rows import read_unit_rows
from assessments.models import Assessment, AuditEntry, BusinessUnit, Cycle, Organisation
from assessments.services import setup as setup_service
from tests import factories
from tests.pages import parse, text, the


@pytest.fixture
def acme(small):
    consultant = factories.user("consultant")
    organisation = factories.organisation("acme", consultants=[consultant])
    factories.unit(organisation, "uk")
    factories.unit(organisation, "de")
    client = Client()
    client.force_login(consultant)
    return client, organisation, small


def url(name):
    return reverse(name, kwargs={"organisation": "acme"})


def fields(prefix, values):
    return {f"{prefix}-{key}": value for key, value in values.items()}


def actions():
    return list(AuditEntry.objects.filter(organisation="acme").values_list("action", flat=True))


def test_a_new_cycle_has_an_assessment_for_every_unit(acme):
    client, organisation, framework = acme
    response = client.post(
        url("cycle_new"),
        fields(
            "cycle",
            {
                "name": "2027-Q1",
                "framework": framework.pk,
                "opens_on": "2027-01-04",
                "deadline": "2027-02-26",
            },
        ),
    )
    assert response.status_code == 302
    cycle = Cycle.objects.get(organisation=organisation, name="2027-Q1")
    assert (cycle.opens_on, cycle.deadline) == (
        datetime.date(2027, 1, 4),
        datetime.date(2027, 2, 26),
    )
    assert sorted(Assessment.objects.filter(cycle=cycle).values_list("unit__slug", flat=True)) == [
        "de",
        "uk",
    ]
    entry = AuditEntry.objects.get(organisation="acme", action="cycle.created")
    assert entry.details["units"] == ["de", "uk"] and entry.details["deadline"] == "2027-02-26"
    page = parse(client.get(url("organisation_setup")))
    assert "2027-Q1" in page.select_one("#cycles").text


@pytest.mark.parametrize(
    "given, says",
    [
        ({"opens_on": "2027-03-01", "deadline": "2027-02-01"}, "before the opening day"),
        ({"name": ""}, "required"),
        ({"name": "x" * 33}, "at most 32"),
        ({"name": "2026-Q4"}, "has a cycle named 2026-Q4 already"),
        ({"deadline": "tomorrow"}, "valid date"),
    ],
)
def test_a_wrong_cycle_is_refused_saying_why(acme, given, says):
    client, organisation, framework = acme
    factories.cycle(organisation, framework, "2026-Q4")
    before = Cycle.objects.count()
    response = client.post(
        url("cycle_new"), fields("cycle", {"name": "2027-Q1", "framework": framework.pk, **given})
    )
    assert response.status_code == 400
    assert says in parse(response).select_one("#new-cycle").text
    assert Cycle.objects.count() == before and "cycle.created" not in actions()


def test_a_new_unit_joins_every_open_cycle(acme):
    client, organisation, framework = acme
    open_cycle = factories.cycle(organisation, framework, "2026-Q4")
    closed = factories.cycle(organisation, framework, "2026-Q2")
    closed.is_open = False
    closed.save()
    response = client.post(
        url("unit_new"),
        fields(
            "unit", {"name": "France", "slug": "fr", "region": "EMEA", "tags": "b2c, , b2c, eu"}
        ),
    )
    assert response.status_code == 302
    unit = BusinessUnit.objects.get(organisation=organisation, slug="fr")
    assert unit.tags == "b2c, eu"
    assert list(unit.assessments.values_list("cycle", flat=True)) == [open_cycle.pk]
    assert actions() == ["unit.created"]


@pytest.mark.parametrize(
    "given, says",
    [
        ({"slug": "UK Retail"}, "is not a slug"),
        ({"slug": "uk"}, "has a unit uk already"),
        ({"name": ""}, "required"),
        ({"region": "r" * 101}, "at most 100"),
        ({"name": "bad\x01name"}, "control character"),
    ],
)
def test_a_wrong_unit_is_refused_saying_why(acme, given, says):
    client, organisation, _ = acme
    response = client.post(
        url("unit_new"), fields("unit", {"name": "France", "slug": "fr", **given})
    )
    assert response.status_code == 400
    assert says in parse(response).select_one("#new-unit").text
    assert organisation.units.count() == 2 and actions() == []


def upload(client, text: str | bytes, name="units.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(url("units_upload"), {"units-file": SimpleUploadedFile(name, data)})


def test_units_from_a_csv_all_arrive_with_their_assessments(acme):
    client, organisation, framework = acme
    cycle = factories.cycle(organisation, framework, "2026-Q4")
    response = upload(
        client,
        "\ufeffname,slug,region,tags\n"
        'France,fr,EMEA,"b2c, eu"\n'
        "Spain,es,EMEA,\n"
        "\n"
        "Brazil,br,LATAM,b2b\n",
    )
    assert response.status_code == 302
    assert sorted(organisation.units.values_list("slug", flat=True)) == [
        "br",
        "de",
        "es",
        "fr",
        "uk",
    ]
    assert BusinessUnit.objects.get(slug="fr").tags == "b2c, eu"
    # (the factory's cycle has no assessments for uk and de: it was not created by the page)
    assert sorted(cycle.assessments.values_list("unit__slug", flat=True)) == ["br", "es", "fr"]
    [entry] = AuditEntry.objects.filter(organisation="acme", action="units.imported")
    assert entry.details == {"file": "units.csv", "units": ["fr", "es", "br"]}


def test_a_csv_with_any_wrong_row_adds_no_unit_and_names_every_problem(acme):
    client, organisation, _ = acme
    response = upload(
        client,
        "name,slug,region,tags\n"
        "France,fr,EMEA,\n"
        ",es,EMEA,\n"
        "Germany again,uk,EMEA,\n"
        "Brazil,Brazil!,LATAM,\n"
        "Brasil,fr,LATAM,\n"
        f"Long,long,{'r' * 101},\n"
        "Extra,ex,EMEA,a,b\n",
    )
    assert response.status_code == 400
    problems = [li.text for li in parse(response).select("#csv-problems li")]
    assert problems == [
        "line 3: name: is empty (every unit needs one)",
        "line 4: slug: 'uk' is a unit of the organisation already",
        "line 5: slug: 'Brazil!' is not a slug (lower-case letters, digits, '-' and '_', starting with a letter or digit)",
        "line 6: slug: 'fr' is also on line 2",
        "line 7: region: has 101 characters (at most 100)",
        "line 8: more cells than the 4 columns",
    ]
    assert organisation.units.count() == 2 and actions() == []


@pytest.mark.parametrize(
    "data, says",
    [
        (b"name,slug\nFrance,fr\n\xff\n", "not UTF-8"),
        ("name,slug,slug\nFrance,fr,fr\n", "line 1: slug: the column appears twice"),
        ("name,region\nFrance,EMEA\n", "line 1: slug: the column is missing"),
        ("name,slug,owner\nFrance,fr,me\n", "line 1: owner: not a column of units"),
        ('name,slug\n"France,fr\n', "line 2: not valid CSV"),
        ("\ufeff", "the file is empty"),
        ("name,slug\n", "the file names no unit"),
    ],
)
def test_a_broken_csv_says_what_is_wrong(acme, data, says):
    client, organisation, _ = acme
    response = upload(client, data)
    assert response.status_code == 400
    assert says in parse(response).select_one("#csv-problems").text
    assert organisation.units.count() == 2


def test_an_empty_upload_is_refused_by_the_form(acme):
    client, organisation, _ = acme
    response = upload(client, b"")
    assert response.status_code == 400
    assert "The submitted file is empty" in parse(response).select_one("#units-csv").text
    assert organisation.units.count() == 2


def test_a_csv_holds_at_most_the_unit_limit(monkeypatch):
    monkeypatch.setattr(limits, "MAX_UNIT_ROWS", 3)
    data = "name,slug\n" + "".join(f"U{n},u{n}\n" for n in range(4))
    assert read_unit_rows(data.encode(), set()) == (
        [],
        ["the file has more than 3 units; split it"],
    )
    rows, problems = read_unit_rows(data.rsplit("U3", 1)[0].encode(), set())
    assert problems == [] and [row.slug for row in rows] == ["u0", "u1", "u2"]


# --- a new organisation -------------------------------------------------------------------------


def may_add_organisations(user):
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="assessments", codename="add_organisation")
    )
    return user


@pytest.fixture
def founder(db):
    """A consultant who advises no organisation yet and may create one."""
    client = Client()
    client.force_login(may_add_organisations(factories.user("founder")))
    return client


def new_organisation(client, **given):
    values = {"name": "Contoso Retail", "slug": "contoso", **given}
    return client.post(reverse("organisation_new"), fields("organisation", values))


def test_a_consultant_creates_an_organisation_and_advises_it(founder):
    home = parse(founder.get(reverse("home")))
    assert "You advise no organisation yet" in text(home)
    assert the(home, "#new-organisation-link")["href"] == reverse("organisation_new")
    assert founder.get(reverse("organisation_new")).status_code == 200
    response = new_organisation(founder)
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation_setup", kwargs={"organisation": "contoso"})
    page = parse(founder.get(response["Location"]))
    assert "Organisation Contoso Retail created, with you as its consultant" in text(page)
    organisation = Organisation.objects.get(slug="contoso")
    assert organisation.name == "Contoso Retail"
    assert list(organisation.consultants.values_list("username", flat=True)) == ["founder"]
    home = parse(founder.get(reverse("home")))
    assert "Contoso Retail" in text(home) and "advise no organisation" not in text(home)
    [entry] = AuditEntry.objects.filter(organisation="contoso")
    assert (entry.action, entry.actor, entry.sequence) == ("organisation.created", "founder", 1)
    assert entry.details == {"name": "Contoso Retail", "consultants": ["founder"]}


@pytest.mark.parametrize(
    "given, field, says",
    [
        ({"name": "Acme"}, "name", "An organisation named Acme exists already."),
        ({"name": "ACME"}, "name", "An organisation named Acme exists already."),
        ({"slug": "acme"}, "slug", "An organisation with the slug acme exists already."),
        ({"slug": "Contoso Retail"}, "slug", "'Contoso Retail' is not a slug (lower-case"),
        ({"slug": "-contoso"}, "slug", "is not a slug"),
        ({"slug": "c" * 65}, "slug", "at most 64"),
        ({"name": ""}, "name", "required"),
        ({"name": "n" * 201}, "name", "at most 200"),
        ({"name": "bad\x01name"}, "name", "control character"),
    ],
)
def test_a_wrong_organisation_is_refused_saying_why(founder, given, field, says):
    factories.organisation("acme")  # named "Acme"
    response = new_organisation(founder, **given)
    assert response.status_code == 400
    form = parse(response).select_one("#new-organisation")
    assert says in text(the(form, f"#div_id_organisation-{field}"))
    assert list(Organisation.objects.values_list("slug", flat=True)) == ["acme"]
    assert not AuditEntry.objects.filter(action="organisation.created").exists()


def test_an_organisation_created_meanwhile_is_refused_not_a_500(founder, monkeypatch):
    """The race: the check finds no twin, the insert meets one created since."""
    monkeypatch.setattr(setup_service, "_organisation_taken", racing_check())
    response = new_organisation(founder, name="Acme", slug="acme-2")
    assert response.status_code == 400
    form = parse(response).select_one("#new-organisation")
    assert "An organisation named Acme exists already." in text(form)
    # (the twin, made inside this request's transaction, is rolled back with it)
    assert not Organisation.objects.filter(slug="acme-2").exists()
    assert not AuditEntry.objects.exists()


def racing_check():
    real = setup_service._organisation_taken
    calls = []

    def check(name, slug):
        calls.append(name)
        if len(calls) == 1:  # before the insert: the other one is not there yet
            factories.organisation("acme")
            return None
        return real(name, slug)

    return check


def test_only_those_granted_the_permission_and_admins_may_create_organisations(acme):
    consultant, _, _ = acme  # advises acme, without the permission
    assert parse(consultant.get(reverse("home"))).select("#new-organisation-link") == []
    assert consultant.get(reverse("organisation_new")).status_code == 403
    assert new_organisation(consultant).status_code == 403
    admin = Client()
    admin.force_login(factories.user("root", is_superuser=True))
    assert the(parse(admin.get(reverse("home"))), "#new-organisation-link")
    assert new_organisation(admin).status_code == 302
    assert not Organisation.objects.filter(slug="contoso", consultants__username="consultant")
    assert Organisation.objects.get(slug="contoso").consultants.get().username == "root"
