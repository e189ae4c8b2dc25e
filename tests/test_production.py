"""Production serving: the app serves its own static files, Plotly's among them (no CDN),
and collectstatic for whitenoise copies only the Plotly file pages load."""

import os
import re
import runpy
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def test_the_pages_plotly_is_the_version_the_chart_images_draw_with():
    # Pages draw with the vendored partial build, images with the plotly package's own
    # plotly.js: the same version, so a chart looks the same in the browser and on a slide.
    from plotly.offline import get_plotlyjs_version

    found = finders.find("vendor/plotly/plotly.min.js")
    banner = Path(found).read_text()[:200]
    assert banner.startswith(f"/*! plotly.js v{get_plotlyjs_version()}, partial bundle: ")
    assert "bar, heatmap" in banner
    assert (Path(found).parent / "LICENSE").read_text().startswith("MIT License")


def test_the_app_serves_plotly_itself_through_the_finders(client, settings, tmp_path):
    # As under `make demo` (DEBUG): whitenoise asks the finders; nothing is collected.
    settings.WHITENOISE_USE_FINDERS = True
    settings.STATIC_ROOT = tmp_path
    response = client.get("/static/vendor/plotly/plotly.min.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b"".join(response.streaming_content).startswith(b"/*! plotly.js v")


def test_collectstatic_for_whitenoise_compresses_the_partial_plotly(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    folder = tmp_path / "vendor" / "plotly"
    hashed = [p for p in folder.iterdir() if re.fullmatch(r"plotly\.min\.[0-9a-f]{12}\.js", p.name)]
    assert len(hashed) == 1
    gzipped = hashed[0].with_name(hashed[0].name + ".gz")
    # the whole of plotly.js is 1.49 MB gzipped; the pages' build a third of that
    assert 300_000 < gzipped.stat().st_size < 450_000
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
