"""A strict Content-Security-Policy on every response, and pages that need nothing more:
no inline script, no style attribute, plotly.js's styles as a static file."""

from __future__ import annotations

import re

import pytest

from config.middleware import CONTENT_SECURITY_POLICY
from config.plotly_css import (
    CSS_FILE,
    MAPLIBRE_STYLE_ID,
    PLOTLY_JS,
    maplibre_style_id,
    stylesheet,
)

from .conftest import logged_in

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "style-src-attr 'unsafe-hashes' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='; "
    "img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle=", re.I)
HANDLER_ATTRIBUTE = re.compile(r"<[^>]+\son[a-z]+=", re.I)


def test_the_policy_allows_nothing_inline():
    import base64
    import hashlib

    assert CONTENT_SECURITY_POLICY == POLICY
    # The one style attribute allowed is the empty one.
    assert (
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        == base64.b64encode(hashlib.sha256(b"").digest()).decode()
    )


def pages(world) -> list[tuple[object, str]]:
    pk = world["assessment"].pk
    lead, consultant, ann = world["lead"], world["consultant"], world["ann"]
    return [
        (None, "/login/"),
        (ann, "/"),
        (ann, f"/assessments/{pk}/"),
        (ann, f"/assessments/{pk}/capabilities/IDG/"),
        (lead, f"/assessments/{pk}/answers/"),
        (lead, f"/assessments/{pk}/upload/"),
        (lead, f"/reports/assessments/{pk}/"),
        (consultant, "/reports/portfolio/?organisation=acme"),
        (consultant, "/reports/compare/?organisation=acme"),
        (consultant, "/reports/trends/?organisation=acme"),
        (consultant, "/reports/organisations/acme/roadmap/"),
        (consultant, "/reports/organisations/acme/deom/"),
        (consultant, "/reports/organisations/acme/engagement/"),
        (consultant, "/reports/organisations/acme/units/uk/targets/"),
        (consultant, "/audit/"),
    ]


def test_every_page_carries_the_policy_and_needs_no_inline_script_or_style(world):
    from django.test import Client

    for user, url in pages(world):
        client = logged_in(user) if user else Client()
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == POLICY, url
        html = response.content.decode()
        assert INLINE_SCRIPT.findall(html) == [], url
        assert STYLE_ATTRIBUTE.findall(html) == [], url
        assert HANDLER_ATTRIBUTE.findall(html) == [], url


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/nowhere/",
        "/static/ladder/ladder.css",
        "/admin/login/",
        "/reports/portfolio/report.xlsx",
    ],
)
def test_redirects_errors_static_files_and_downloads_carry_it_too(client, db, url):
    assert client.get(url)["Content-Security-Policy"] == POLICY


def test_plotly_css_holds_the_rules_of_the_plotly_js_served():
    """After rebuilding the bundle: `.venv/bin/python -m config.plotly_css`."""
    assert CSS_FILE.read_text(encoding="utf-8") == stylesheet(PLOTLY_JS.read_text(encoding="utf-8"))


def test_chart_pages_link_plotly_css_as_plotly_js_looks_for_it(world):
    html = (
        logged_in(world["lead"])
        .get(f"/reports/assessments/{world['assessment'].pk}/")
        .content.decode()
    )
    assert re.search(
        r'<link rel="stylesheet" id="plotly.js-style-global" class="no-inline-styles" '
        r'href="/static/vendor/plotly/plotly.css">\s*'
        rf'<template id="{MAPLIBRE_STYLE_ID}"></template>\s*'
        r'<script src="/static/vendor/plotly/plotly.min.js">',
        html,
    )
    assert maplibre_style_id(PLOTLY_JS.read_text(encoding="utf-8")) == MAPLIBRE_STYLE_ID
