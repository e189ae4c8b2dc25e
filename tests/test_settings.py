"""The app refuses to start in production without a real secret key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


SHOW = "import config.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'])"


def load_settings(code=SHOW, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "EMAIL_"))
        and k not in {"DATABASE_URL", "DEFAULT_FROM_EMAIL"}
    }
    clean.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            code,
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )


def test_production_without_secret_key_refuses_to_start():
    result = load_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_with_a_weak_secret_key_refuses_to_start():
    result = load_settings(DJANGO_SECRET_KEY="secret")
    assert result.returncode != 0
    assert "too weak for production" in result.stderr


def test_debug_is_off_unless_asked_and_sqlite_is_the_default():
    result = load_settings(DJANGO_SECRET_KEY="k" * 60)
    assert result.stdout.split() == ["False", "django.db.backends.sqlite3"]
    assert load_settings(DJANGO_DEBUG="1").stdout.split()[0] == "True"


def test_database_url_selects_postgresql():
    result = load_settings(
        DJANGO_SECRET_KEY="k" * 60, DATABASE_URL="postgres://u:p@127.0.0.1:5432/ladder"
    )
    assert result.stdout.split() == ["False", "django.db.backends.postgresql"]
