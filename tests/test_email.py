"""Email really goes out: settings from the environment, sent to a real SMTP server."""

import pytest
from django.core.mail import send_mail

from config.email import parse_email_url
from tests.test_settings import load_settings

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"


def test_an_email_url_names_the_server_its_login_and_starttls():
    assert parse_email_url("smtp://mailer:s%40cret@smtp.example.com:587?tls=1") == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "smtp.example.com",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "s@cret",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }


def test_the_port_follows_the_encryption_when_the_url_names_none():
    assert parse_email_url("smtps://u:p@mail.example.com")["EMAIL_PORT"] == 465
    assert parse_email_url("smtps://u:p@mail.example.com")["EMAIL_USE_SSL"] is True
    assert parse_email_url("smtp://mail.example.com?tls=1")["EMAIL_PORT"] == 587
    relay = parse_email_url("smtp://127.0.0.1")
    assert (relay["EMAIL_PORT"], relay["EMAIL_HOST_USER"], relay["EMAIL_USE_TLS"]) == (
        25,
        "",
        False,
    )
    assert parse_email_url("smtp://h:2525?timeout=5")["EMAIL_TIMEOUT"] == 5


def test_console_prints_instead_of_sending():
    assert parse_email_url("console://") == {"EMAIL_BACKEND": CONSOLE}


@pytest.mark.parametrize(
    "url, says",
    [
        ("http://mail.example.com", "scheme 'http'"),
        ("mail.example.com:25", "scheme"),
        ("smtp://", "no host"),
        ("smtp://h:25?tls=maybe", "tls='maybe'"),
        ("smtp://h:25?tls=1&ssl=1", "exclude each other"),
        ("smtp://h:25?starttls=1", "unknown option 'starttls'"),
        ("smtp://h:port", "port is not a number"),
        ("smtp://h?timeout=0", "timeout='0'"),
    ],
)
def test_a_wrong_email_url_says_what_is_wrong(url, says):
    with pytest.raises(ValueError, match="EMAIL_URL: .*" + says.replace("?", r"\?")):
        parse_email_url(url)


def email_settings(**env):
    # what Django would use: the module's value, else Django's default
    code = (
        "import config.settings as s; from django.conf import global_settings as g; "
        "v = lambda name: getattr(s, name, getattr(g, name)); "
        "print(v('EMAIL_BACKEND').rsplit('.', 2)[-2], v('EMAIL_HOST'), v('EMAIL_PORT'), "
        "v('EMAIL_USE_TLS'), v('DEFAULT_FROM_EMAIL').replace(' ', '_'))"
    )
    return load_settings(code=code, **env)


def test_the_demo_prints_mail_on_the_console_when_nothing_is_set():
    assert email_settings(DJANGO_DEBUG="1").stdout.split()[0] == "console"


def test_production_sends_by_smtp_and_the_environment_names_the_server():
    production = {"DJANGO_SECRET_KEY": "k" * 60}
    assert email_settings(**production).stdout.split()[:2] == ["smtp", "localhost"]
    from_url = email_settings(**production, EMAIL_URL="smtp://u:p@mx.example.com:2525?tls=1")
    assert from_url.stdout.split()[:4] == ["smtp", "mx.example.com", "2525", "True"]
    from_host = email_settings(
        **production,
        EMAIL_HOST="relay.example.com",
        EMAIL_USE_TLS="1",
        DEFAULT_FROM_EMAIL="ladder@example.com",
    )
    assert from_host.stdout.split() == [
        "smtp",
        "relay.example.com",
        "587",
        "True",
        "ladder@example.com",
    ]
    # the demo too sends for real once a server is named
    assert email_settings(DJANGO_DEBUG="1", EMAIL_URL="smtp://h:25").stdout.split()[0] == "smtp"


def test_a_wrong_email_url_stops_the_app_at_start():
    result = email_settings(DJANGO_SECRET_KEY="k" * 60, EMAIL_URL="smtp://h:25?tls=perhaps")
    assert result.returncode != 0
    assert "EMAIL_URL: tls='perhaps'" in result.stderr


def test_a_message_reaches_a_real_smtp_server(smtp_server, settings):
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "mailer", "secret"
    sent = send_mail("Hello", "Body text", "ladder@example.com", ["ana@example.com"])
    assert sent == 1
    [message] = smtp_server.to("ana@example.com")
    assert message["Subject"] == "Hello"
    assert message["From"] == "ladder@example.com"
    assert message.get_content().strip() == "Body text"
    assert smtp_server.logins == [("mailer", "secret")]
