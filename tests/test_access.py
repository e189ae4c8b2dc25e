"""Who may open every URL of the app.

ACCESS lists every URL pattern (by name) with who may read it (GET) and who may act
on it (POST). Everyone else among the insiders gets 403; outsiders get 404, so they
cannot even learn that the object exists. `test_every_url_has_an_access_rule` fails
when a URL is added without an entry here: add one, saying who may do what.

The world: organisation *acme* with units *uk* (a respondent, a lead) and *de* (a
respondent: "another unit's respondent"), a consultant of acme (who may also create
organisations: Django's "Can add organisation"), a consultant of another organisation
*globex* (who may not), and an admin. Every object in a URL belongs to acme's unit uk.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from assessments.domain.answers import AnswerInput
from assessments.models import Invitation, Membership
from assessments.services.answers import answers_save
from tests import factories

ROLES = (
    "respondent",
    "lead",
    "consultant",
    "admin",
    "other_unit_respondent",
    "other_org_consultant",
)
# Names that only acme's uk people (and acme's consultants, admins) may ever see.
SECRET_UNIT = "UK Retail Confidential"
SECRET_ORGANISATION = "Acme Confidential Holdings"
# Not the app's pages: the admin (superusers only, tested in test_hardening.py), the
# login and logout views, and static files.
NOT_APP = ("login", "logout")
# Open to anyone holding the link (its token is the credential); tests/test_invitations.py
# tests the token. A made-up token gets everyone 400.
PUBLIC = ("invitation_accept",)


@dataclass(frozen=True)
class Rule:
    """Who gets what for one method: `ok` roles get the page (or their action
    handled), `forbidden` roles get 403, every other role 404."""

    ok: frozenset[str]
    forbidden: frozenset[str] = frozenset()

    def expected(self, role: str) -> str:
        if role in self.ok:
            return "ok"
        return "403" if role in self.forbidden else "404"


def rule(ok=(), forbidden=()) -> Rule:
    return Rule(frozenset(ok), frozenset(forbidden))


UNIT_MEMBERS = {"respondent", "lead"}
UNIT_READERS = UNIT_MEMBERS | {"consultant", "admin"}
ORG_ADVISERS = {"consultant", "admin"}
ORG_MEMBERS = {"respondent", "lead", "other_unit_respondent"}
EVERYONE = set(ROLES)
# Superusers, and acme's consultant: granted "Can add organisation" in build_world.
MAY_ADD_ORGANISATION = {"consultant", "admin"}
POST_ONLY = "POST only"  # GET answers 405 to everyone


@dataclass(frozen=True)
class Access:
    kwargs: Callable[[SimpleNamespace], dict] = lambda w: {}
    query: Callable[[SimpleNamespace], dict] = lambda w: {}
    get: Rule | str = field(default_factory=lambda: rule(EVERYONE))
    post: Rule | None = None  # None: the page takes no POST worth testing


def assessment_pk(w):
    return {"pk": w.assessment.pk}


def acme(w):
    return {"organisation": "acme"}


def acme_uk(w):
    return {"organisation": "acme", "unit": "uk"}


def acme_query(w):
    return {"organisation": "acme"}


def png(w):
    return {"image_format": "png"}


def no_chart(w):
    return {"organisation": "acme", "chart": "none"}


ACCESS: dict[str, Access] = {
    # assessments/urls.py
    "home": Access(),
    "assessment_overview": Access(assessment_pk, get=rule(UNIT_READERS)),
    "capability_answers": Access(
        lambda w: {"pk": w.assessment.pk, "capability_code": "IDG"},
        get=rule(UNIT_READERS),
        # Consultants and admins read questionnaires but do not answer them.
        post=rule(UNIT_MEMBERS, forbidden={"consultant", "admin"}),
    ),
    # The page's autosave (JSON): as the page's own save.
    "capability_autosave": Access(
        lambda w: {"pk": w.assessment.pk, "capability_code": "IDG"},
        get=POST_ONLY,
        post=rule(UNIT_MEMBERS, forbidden={"consultant", "admin"}),
    ),
    # Keeping answers carried from the last cycle: answering, as the page's own save.
    "carried_confirm": Access(
        lambda w: {"pk": w.assessment.pk, "capability_code": "IDG"},
        get=POST_ONLY,
        post=rule(UNIT_MEMBERS, forbidden={"consultant", "admin"}),
    ),
    "consolidated_answers": Access(
        assessment_pk, get=rule({"lead", "consultant", "admin"}, {"respondent"})
    ),
    # Assigning capabilities: the lead's, consultants' and admins' (POST {} ticks nobody:
    # refused with a message, still handled).
    "assessment_assignments": Access(
        assessment_pk,
        get=rule({"lead", "consultant", "admin"}, {"respondent"}),
        post=rule({"lead", "consultant", "admin"}, {"respondent"}),
    ),
    # The sign-off confirmation page: as signing off itself.
    "assessment_signoff": Access(
        assessment_pk, get=rule({"lead", "admin"}, {"respondent", "consultant"})
    ),
    # The lead's review loop, from the review page: leads and consultants, as reminding.
    "capability_send_back": Access(
        lambda w: {"pk": w.assessment.pk, "capability_code": "IDG"},
        get=POST_ONLY,
        post=rule({"lead", "consultant", "admin"}, {"respondent"}),
    ),
    "capability_reviewed": Access(
        lambda w: {"pk": w.assessment.pk, "capability_code": "IDG"},
        get=POST_ONLY,
        post=rule({"lead", "consultant", "admin"}, {"respondent"}),
    ),
    "assessment_submit": Access(
        assessment_pk, get=POST_ONLY, post=rule({"lead", "admin"}, {"respondent", "consultant"})
    ),
    "assessment_reopen": Access(
        assessment_pk,
        get=POST_ONLY,
        post=rule({"lead", "consultant", "admin"}, {"respondent"}),
    ),
    "assessment_workbook": Access(
        assessment_pk, get=rule({"lead", "consultant", "admin"}, {"respondent"})
    ),
    "assessment_upload": Access(
        assessment_pk,
        get=rule({"lead", "consultant", "admin"}, {"respondent"}),
        post=rule({"lead", "consultant", "admin"}, {"respondent"}),
    ),
    "assessment_remind": Access(
        lambda w: {"pk": w.assessment.pk, "user_pk": w.respondent.pk},
        get=POST_ONLY,
        post=rule({"lead", "consultant", "admin"}, {"respondent"}),
    ),
    # Everyone's own preferences.
    "email_preferences": Access(get=rule(EVERYONE), post=rule(EVERYONE)),
    "audit_log": Access(get=rule({"consultant", "admin", "other_org_consultant"})),
    "invitations": Access(
        acme, get=rule(ORG_ADVISERS, ORG_MEMBERS), post=rule(ORG_ADVISERS, ORG_MEMBERS)
    ),
    "invitation_resend": Access(
        lambda w: {"organisation": "acme", "pk": w.invitation.pk},
        get=POST_ONLY,
        post=rule(ORG_ADVISERS, ORG_MEMBERS),
    ),
    # No organisation yet, so nobody is an outsider: whoever lacks the permission gets 403.
    "organisation_new": Access(
        get=rule(MAY_ADD_ORGANISATION, EVERYONE - MAY_ADD_ORGANISATION),
        post=rule(MAY_ADD_ORGANISATION, EVERYONE - MAY_ADD_ORGANISATION),
    ),
    "organisation_setup": Access(acme, get=rule(ORG_ADVISERS, ORG_MEMBERS)),
    "cycle_new": Access(acme, get=POST_ONLY, post=rule(ORG_ADVISERS, ORG_MEMBERS)),
    "cycle_carry": Access(
        lambda w: {"organisation": "acme", "pk": w.assessment.cycle_id},
        get=POST_ONLY,
        post=rule(ORG_ADVISERS, ORG_MEMBERS),
    ),
    "unit_new": Access(acme, get=POST_ONLY, post=rule(ORG_ADVISERS, ORG_MEMBERS)),
    "units_upload": Access(acme, get=POST_ONLY, post=rule(ORG_ADVISERS, ORG_MEMBERS)),
    "invitation_accept": Access(
        lambda w: {"pk": w.invitation.pk, "token": "made-up-token"},
        get=rule(EVERYONE),
        post=rule(EVERYONE),
    ),
    # reports/urls.py
    "portfolio": Access(query=acme_query, get=rule(ORG_ADVISERS, ORG_MEMBERS)),
    "compare": Access(query=acme_query, get=rule(ORG_ADVISERS, ORG_MEMBERS)),
    "trends": Access(query=acme_query, get=rule(ORG_ADVISERS, ORG_MEMBERS)),
    "unit_report": Access(assessment_pk, get=rule(UNIT_READERS)),
    "unit_roadmap": Access(acme_uk, get=rule(UNIT_READERS)),
    "organisation_roadmap": Access(acme, get=rule(ORG_ADVISERS, ORG_MEMBERS)),
    "organisation_deom": Access(acme, get=rule(ORG_ADVISERS, ORG_MEMBERS)),
    "engagement_inputs": Access(
        acme, get=rule(ORG_ADVISERS, ORG_MEMBERS), post=rule(ORG_ADVISERS, ORG_MEMBERS)
    ),
    "unit_targets": Access(
        acme_uk, get=rule(ORG_ADVISERS, ORG_MEMBERS), post=rule(ORG_ADVISERS, ORG_MEMBERS)
    ),
    "deck_template": Access(
        acme, get=rule(ORG_ADVISERS, ORG_MEMBERS), post=rule(ORG_ADVISERS, ORG_MEMBERS)
    ),
    # reports/urls.py: downloads (reports/export_views.py), as their pages
    "portfolio_deck": Access(query=acme_query, get=rule(ORG_ADVISERS, ORG_MEMBERS)),
    "portfolio_workbook": Access(query=acme_query, get=rule(ORG_ADVISERS, ORG_MEMBERS)),
    "portfolio_scores_csv": Access(query=acme_query, get=rule(ORG_ADVISERS, ORG_MEMBERS)),
    "portfolio_answers_csv": Access(query=acme_query, get=rule(ORG_ADVISERS, ORG_MEMBERS)),
    "unit_scores_csv": Access(assessment_pk, get=rule(UNIT_READERS)),
    # Chart images: access is checked before the chart's name, so naming no chart of the
    # page gets those allowed a 400 (and nobody a browser start); tests/test_chart_images.py
    # draws them.
    "portfolio_chart": Access(png, query=no_chart, get=rule(ORG_ADVISERS, ORG_MEMBERS)),
    "compare_chart": Access(png, query=no_chart, get=rule(ORG_ADVISERS, ORG_MEMBERS)),
    "trends_chart": Access(png, query=no_chart, get=rule(ORG_ADVISERS, ORG_MEMBERS)),
    "unit_report_chart": Access(
        lambda w: {"pk": w.assessment.pk, "image_format": "png"},
        query=lambda w: {"chart": "none"},
        get=rule(UNIT_READERS),
    ),
}


def app_urls(resolver=None, prefix=""):
    """(name, route, view) of every URL pattern of the app, however deeply included."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(("admin/", settings.STATIC_URL.lstrip("/"))):
            continue
        if isinstance(pattern, URLResolver):
            yield from app_urls(pattern, route)
        elif pattern.name not in NOT_APP:
            yield pattern.name, route, pattern.callback


def test_every_url_has_an_access_rule():
    urls = list(app_urls())
    missing = [f"{name or '(unnamed)'} ({route})" for name, route, _ in urls if name not in ACCESS]
    assert not missing, (
        "URL(s) without an entry in ACCESS of tests/test_access.py: "
        + ", ".join(missing)
        + ". Add one saying who may read (GET) and act (POST) on each."
    )
    stale = sorted(set(ACCESS) - {name for name, _, _ in urls})
    assert not stale, f"ACCESS lists URL names that no longer exist: {', '.join(stale)}"


def test_no_view_is_exempt_from_csrf():
    exempt = [name for name, _, view in app_urls() if getattr(view, "csrf_exempt", False)]
    assert exempt == []


def build_world(framework) -> SimpleNamespace:
    consultant = factories.user("consultant")
    consultant.user_permissions.add(
        Permission.objects.get(content_type__app_label="assessments", codename="add_organisation")
    )
    other_org_consultant = factories.user("other-org-consultant")
    acme = factories.organisation("acme", consultants=[consultant])
    acme.name = SECRET_ORGANISATION
    acme.save()
    globex = factories.organisation("globex", consultants=[other_org_consultant])
    uk = factories.unit(acme, "uk")
    uk.name = SECRET_UNIT
    uk.save()
    de = factories.unit(acme, "de")
    us = factories.unit(globex, "us")
    acme_cycle = factories.cycle(acme, framework)
    globex_cycle = factories.cycle(globex, framework)
    assessment = factories.assessment(uk, acme_cycle)
    factories.assessment(de, acme_cycle)
    factories.assessment(us, globex_cycle)
    invitee = factories.user("invitee", is_active=False)
    invitee.set_unusable_password()
    invitee.save()
    world = SimpleNamespace(
        assessment=assessment,
        invitation=Invitation.objects.create(
            organisation=acme,
            unit=uk,
            role="respondent",
            email="invitee@example.com",
            user=invitee,
            invited_by=consultant,
            created_at=timezone.now(),
        ),
        respondent=factories.member(uk, username="respondent"),
        lead=factories.member(uk, Membership.Role.LEAD, username="lead"),
        other_unit_respondent=factories.member(de, username="other-unit-respondent"),
        consultant=consultant,
        other_org_consultant=other_org_consultant,
        admin=factories.user("admin", is_superuser=True, is_staff=True),
    )
    questions = {q.code: q for q in framework.questions.all()}
    answers_save(
        assessment=assessment,
        respondent="respondent",
        questions=questions,
        answers={code: AnswerInput(special="dk") for code in questions},
    )
    return world


@pytest.fixture(scope="module")
def world_once(module_db):
    """The world, written once for the module (tests/conftest.py, "A world built once")."""
    return build_world(factories.small_framework())


@pytest.fixture
def world(world_once, db):
    """The world for one test: what it writes (POSTs do) is rolled back after it."""
    return copy.deepcopy(world_once)


def url_of(name: str, world) -> str:
    access = ACCESS[name]
    query = access.query(world)
    return reverse(name, kwargs=access.kwargs(world)) + (f"?{urlencode(query)}" if query else "")


def check(response, expected: str, role: str, what: str) -> None:
    status = response.status_code
    if expected == "ok":
        assert status < 500 and status not in (403, 404, 405), f"{what} as {role}: {status}"
    else:
        assert status == int(expected), f"{what} as {role}: {status}, expected {expected}"
    if status == 200 and role.startswith("other_"):
        html = response.content.decode(errors="replace")
        assert SECRET_UNIT not in html, f"{what} shows unit uk to {role}"
        if role == "other_org_consultant":
            assert SECRET_ORGANISATION not in html, f"{what} shows acme to {role}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ACCESS))
def test_access(name, role, world):
    access = ACCESS[name]
    client = Client()
    client.force_login(getattr(world, role))
    url = url_of(name, world)
    if access.get == POST_ONLY:
        check(client.get(url), "405", role, f"GET {url}")
    else:
        check(client.get(url), access.get.expected(role), role, f"GET {url}")
    if access.post is not None:
        check(client.post(url, {}), access.post.expected(role), role, f"POST {url}")


@pytest.mark.parametrize("name", sorted(set(ACCESS) - set(PUBLIC)))
def test_anonymous_is_sent_to_log_in(name, world):
    client = Client()
    url = url_of(name, world)
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/?next="), url


@pytest.mark.parametrize("name", ["home", "portfolio", "compare", "trends", "audit_log"])
def test_pages_without_an_object_show_outsiders_only_their_own(name, world):
    for role in ("other_unit_respondent", "other_org_consultant"):
        client = Client()
        client.force_login(getattr(world, role))
        response = client.get(reverse(name))
        assert response.status_code in (200, 404), f"{name} as {role}"
        html = response.content.decode()
        assert SECRET_UNIT not in html, f"{name} shows unit uk to {role}"
        if role == "other_org_consultant":
            assert SECRET_ORGANISATION not in html, f"{name} shows acme to {role}"


def test_save_and_continue_only_goes_to_a_capability_of_the_framework(world):
    client = Client()
    client.force_login(world.respondent)
    url = reverse(
        "capability_answers", kwargs={"pk": world.assessment.pk, "capability_code": "IDG"}
    )
    assert client.post(url, {"next": "CPL"})["Location"] == url.replace("IDG", "CPL")
    assert client.post(url, {"next": "a/b"})["Location"] == url
