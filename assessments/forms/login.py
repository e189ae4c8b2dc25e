"""Login forms for the site and the admin, both throttled (see throttling.py)."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from assessments import throttling


class ThrottledLogin:
    """Refuse before the password is checked when the username + address is throttled;
    otherwise claim the attempt's place first (throttling.attempt_claim), so that a burst
    of attempts at once is held to the limit too."""

    def clean(self):
        username = self.cleaned_data.get("username")
        request = getattr(self, "request", None)
        if username and self.cleaned_data.get("password"):
            claimed, until = throttling.attempt_claim(username, throttling.client_address(request))
            if until is not None:
                raise ValidationError(throttling.refusal_message(until), code="throttled")
            if request is not None:
                # The failure is counted already; the failed-login signal only audits it.
                request.ladder_login_claimed = claimed
        elif username:
            until = throttling.refused_until(username, throttling.client_address(request))
            if until is not None:
                raise ValidationError(throttling.refusal_message(until), code="throttled")
        return super().clean()


class LoginForm(ThrottledLogin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLogin, AdminAuthenticationForm):
    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_superuser:
            raise ValidationError(
                "The admin pages are for Ladder administrators only; this account is not one.",
                code="not_admin",
            )
