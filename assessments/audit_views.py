from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from . import audit
from .audit_forms import AuditFilterForm
from .models import BusinessUnit
from .queries import organisations_for_consultant

ENTRIES_PER_PAGE = 50


@login_required
def audit_log(request):
    """The audit log of the organisations the user advises (every entry for an admin)."""
    organisations = list(organisations_for_consultant(request.user).order_by("name"))
    if not organisations and not request.user.is_superuser:
        raise Http404("No audit log to show.")
    units = (
        BusinessUnit.objects.filter(organisation__in=[o.pk for o in organisations])
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )
    form = AuditFilterForm(request.GET or None, organisations=organisations, units=units)
    entries = audit.entries_for_user(request.user).order_by("-sequence")
    if form.is_bound:
        entries = form.filter(entries) if form.is_valid() else entries.none()
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/audit_log.html",
        {
            "form": form,
            "page": page,
            "rows": [(entry, audit.describe(entry.details)) for entry in page],
        },
    )
