"""403, 404 and 500 are answered with the app's own page, its navigation and a way back,
with production settings (DEBUG off)."""

from __future__ import annotations

from django.test import RequestFactory, override_settings
from django.views.defaults import server_error

from assessments.models import Membership
from tests import factories
from tests.export_factories import scored_organisation


@override_settings(DEBUG=False)
def test_404_is_the_apps_page_with_a_way_back(client, db):
    client.force_login(factories.user("someone"))
    response = client.get("/reports/assessments/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<h1 class="h3" id="error-title">Page not found</h1>' in page
    assert 'class="navbar' in page and 'href="/"' in page  # the navigation and a way home
    assert "Go to my assessments" in page


@override_settings(DEBUG=False)
def test_403_is_the_apps_page_with_a_way_back(client, small):
    org, _, _ = scored_organisation(small)
    member = factories.member(org.units.get(slug="east"), Membership.Role.LEAD)
    client.force_login(member)
    response = client.get("/reports/portfolio/?organisation=acme")
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot open this page" in page
    assert "Go to my assessments" in page and "Log out" in page


@override_settings(DEBUG=False)
def test_500_is_the_apps_page_even_without_a_request_context(db):
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert 'href="/"' in page and "Log in" in page


@override_settings(DEBUG=False)
def test_403_says_why_in_the_refusals_own_words(client, small):
    """A respondent asking to sign off learns which role may, not only "no access"."""
    org, _, _ = scored_organisation(small)
    assessment = org.units.get(slug="east").assessments.get()
    respondent = factories.member(assessment.unit)
    client.force_login(respondent)
    response = client.post(f"/assessments/{assessment.pk}/submit/")
    assert response.status_code == 403
    assert "Your role does not allow you to submit this assessment." in response.content.decode()
