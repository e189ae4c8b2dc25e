"""Production serving: the app serves its own static files, Plotly's among them (no CDN),
and collectstatic for whitenoise copies only the Plotly file pages load."""

import os
import re
import runpy
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def test_plotly_min_js_is_the_only_plotly_file_exposed():
    found = finders.find("plotly/plotly.min.js")
    assert found.endswith(os.path.join("plotly", "package_data", "plotly.min.js"))
    assert finders.find("plotly/widgetbundle.js") is None
    assert finders.find("plotly/datasets/election.csv.gz") is None
    assert finders.find("plotly/templates/plotly.json") is None
    assert finders.find("plotly/plotly.min.js", find_all=True) == [found]


def test_the_app_serves_plotly_itself_through_the_finders(client, settings, tmp_path):
    # As under `make demo` (DEBUG): whitenoise asks the finders; nothing is collected.
    settings.WHITENOISE_USE_FINDERS = True
    settings.STATIC_ROOT = tmp_path
    response = client.get("/static/plotly/plotly.min.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b"".join(response.streaming_content).startswith(b"/**\n* plotly.js v")


def test_collectstatic_for_whitenoise_copies_plotly_min_js_alone(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    # .br files appear beside the .gz ones only where the Brotli package is installed.
    names = sorted(p.name for p in (tmp_path / "plotly").iterdir() if p.suffix != ".br")
    hashed = [name for name in names if re.fullmatch(r"plotly\.min\.[0-9a-f]{12}\.js", name)]
    assert len(hashed) == 1
    assert names == sorted(["plotly.min.js", "plotly.min.js.gz", hashed[0], f"{hashed[0]}.gz"])
    assert (tmp_path / "vendor" / "bootstrap" / "bootstrap.min.css").exists()
    assert (tmp_path / "staticfiles.json").exists()


def test_gunicorn_listens_on_the_loopback_unless_told_otherwise(monkeypatch):
    for name in ("LADDER_BIND", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT", "GUNICORN_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    config = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))
    assert (config["bind"], config["wsgi_app"], config["accesslog"]) == (
        "127.0.0.1:8000",
        "config.wsgi:application",
        "-",
    )
    assert config["workers"] == 2 * os.cpu_count() + 1

    monkeypatch.setenv("LADDER_BIND", "127.0.0.1:9000")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    config = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))
    assert (config["bind"], config["workers"]) == ("127.0.0.1:9000", 3)
