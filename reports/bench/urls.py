"""The bench's own two pages, routed before the app's only while the bench runs
(reports/bench/run.py sets ROOT_URLCONF to this module): what a page costs in Django
alone, before it reads or shows any of Ladder's data. They are the yardstick for the
questionnaire's floors, which replay a page's SQL raw: the empty page is what any
signed-in request costs (session, user, middleware), the layout page what every page's
frame costs (base.html: the navigation, the messages)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path


@login_required
def empty_page(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def layout_page(request):
    return render(request, "base.html")


urlpatterns = [
    path("bench/empty/", empty_page, name="bench_empty_page"),
    path("bench/layout/", layout_page, name="bench_layout_page"),
    path("", include("config.urls")),
]
