"""Email settings from the environment, read by config/settings.py.

`EMAIL_URL` names the whole server in one variable:

    smtp://user:password@smtp.example.com:587?tls=1     STARTTLS on the submission port
    smtps://user:password@smtp.example.com:465          TLS from the first byte
    smtp://127.0.0.1:25                                 a local relay, no login
    console://                                          print messages (development)

`parse_email_url` turns it into Django settings; it is pure (no Django, no environment) so
every spelling is tested without starting anything.
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}
_QUERY_KEYS = {"tls", "ssl", "timeout"}


def _flag(query: dict[str, list[str]], key: str, default: bool) -> bool:
    if key not in query:
        return default
    value = query[key][-1].strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"EMAIL_URL: {key}={value!r} is neither 1 nor 0")


def parse_email_url(url: str) -> dict[str, object]:
    """Django's EMAIL_* settings for an EMAIL_URL; ValueError saying what is wrong."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _BACKENDS:
        raise ValueError(
            f"EMAIL_URL: scheme {scheme or '(none)'!r} is not one of smtp, smtps, console"
        )
    settings: dict[str, object] = {"EMAIL_BACKEND": _BACKENDS[scheme]}
    if scheme == "console":
        return settings
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(query) - _QUERY_KEYS)
    if unknown:
        raise ValueError(f"EMAIL_URL: unknown option {unknown[0]!r} (tls, ssl, timeout)")
    if not parts.hostname:
        raise ValueError("EMAIL_URL: no host (smtp://user:password@host:port)")
    use_ssl = _flag(query, "ssl", scheme == "smtps")
    use_tls = _flag(query, "tls", False)
    if use_ssl and use_tls:
        raise ValueError("EMAIL_URL: tls=1 (STARTTLS) and ssl=1 (smtps) exclude each other")
    try:
        port = parts.port
    except ValueError as error:
        raise ValueError(f"EMAIL_URL: the port is not a number ({error})") from None
    if "timeout" in query:
        text = query["timeout"][-1]
        if not text.isdigit() or int(text) == 0:
            raise ValueError(f"EMAIL_URL: timeout={text!r} is not a number of seconds")
        settings["EMAIL_TIMEOUT"] = int(text)
    settings.update(
        EMAIL_HOST=parts.hostname,
        EMAIL_PORT=port or (465 if use_ssl else 587 if use_tls else 25),
        EMAIL_HOST_USER=unquote(parts.username or ""),
        EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
        EMAIL_USE_TLS=use_tls,
        EMAIL_USE_SSL=use_ssl,
    )
    return settings
