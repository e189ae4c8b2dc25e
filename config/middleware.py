"""Site-wide response rules: the Content-Security-Policy on every response, and a clear
"try again" (503) instead of a 500 when a write lost a race twice.

Content-Security-Policy (Django 5.2 has none built in; Django 6 does, and this can give
way to it): no page runs a script it did not ship, even if an escaping slip let markup
through. Scripts and styles come only from our own static files — no inline <script>,
no on…= handlers, no style="…" attributes in templates (setting styles through the CSSOM
from our static JS is allowed by CSP and is what the questionnaire's progress bar and
plotly.js do). What each directive allows, and why:

- default-src 'self': anything not named below only from this site;
- script-src 'self': Bootstrap's bundle, plotly.min.js and static/ladder/*.js; JSON data
  blocks (<script type="application/json">, json_script) are not scripts and need nothing;
- style-src 'self': Bootstrap's CSS, ladder.css and plotly.js's own rules as a static file
  (static/vendor/plotly/plotly.css, linked with id "plotly.js-style-global" and class
  "no-inline-styles", which tells plotly.js 4 not to inject a <style> element; the bundled
  maplibre-gl is kept from injecting its own likewise, see config/plotly_css.py);
- style-src-attr 'unsafe-hashes' and the hash of the empty string: plotly.js clears the
  style of its colour bars' rectangles with setAttribute("style", "") on every draw; this
  allows exactly an empty style attribute (which applies nothing) and no other;
- img-src 'self' data:: Bootstrap's CSS draws check marks and select arrows as data: SVGs;
- font-src 'self', connect-src 'self': nothing else is fetched;
- object-src 'none', base-uri 'none', form-action 'self', frame-ancestors 'none': no
  plugins, no <base> redirecting relative links, forms post only here, no framing.
"""

from __future__ import annotations

import logging

from django.db import OperationalError
from django.template.response import TemplateResponse

from assessments.services.errors import DatabaseBusy
from assessments.services.retry import is_conflict

log = logging.getLogger(__name__)

# sha256 of "" (base64): the only style attribute allowed, see style-src-attr above.
EMPTY_STYLE_ATTRIBUTE = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        f"style-src-attr 'unsafe-hashes' '{EMPTY_STYLE_ATTRIBUTE}'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """First in MIDDLEWARE, so every response carries the policy: pages, redirects,
    errors, downloads and static files alike."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class DatabaseBusyMiddleware:
    """A write that lost a race twice (services/retry.py), or any lost race outside the
    services (a login failure recorded while others save), answers 503 with what to do."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DatabaseBusy) or (
            isinstance(exception, OperationalError) and is_conflict(exception)
        ):
            log.warning("busy database: %s %s: %s", request.method, request.path, exception)
            response = TemplateResponse(
                request, "busy.html", {"message": DatabaseBusy.message}, status=503
            )
            response["Retry-After"] = "2"
            return response.render()
        return None
