"""Plotly's JavaScript served by the app itself (consultants work on networks without CDNs).

The plotly wheel ships `plotly.min.js` beside a widget bundle, templates and datasets
that pages never load. Exposing the whole `package_data` folder would make
collectstatic copy, hash and compress ~10 MB for nothing; this finder exposes exactly
`plotly/plotly.min.js`.
"""

from __future__ import annotations

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder, searched_locations
from django.core.files.storage import FileSystemStorage

PREFIX = "plotly"
FILES = ("plotly.min.js",)
PACKAGE_DATA = Path(plotly.__file__).resolve().parent / "package_data"


class PlotlyFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=PACKAGE_DATA)
        # collectstatic copies a file to `storage.prefix/<name>`, as for STATICFILES_DIRS.
        self.storage.prefix = PREFIX

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        # Django 5.2 still accepts the deprecated `all=` spelling; honour it like its finders.
        find_all = kwargs.get("all", find_all)
        if str(PACKAGE_DATA) not in searched_locations:
            searched_locations.append(str(PACKAGE_DATA))
        prefix, _, name = path.replace("\\", "/").partition("/")
        if prefix != PREFIX or name not in FILES:
            return []  # "not found", as Django's own finders say it whatever find_all is
        found = str(PACKAGE_DATA / name)
        return [found] if find_all else found

    def list(self, ignore_patterns):
        for name in FILES:
            yield name, self.storage
