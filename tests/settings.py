"""Test settings: the production module with a throwaway key and a fast hasher."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-" + "x" * 60)
os.environ.setdefault("DJANGO_SSL_REDIRECT", "0")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Tests read static files through the finders; there is no collected STATIC_ROOT to scan.
WHITENOISE_AUTOREFRESH = True
