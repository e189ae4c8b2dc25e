from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from assessments import audit
from assessments.forms.audit import AuditFilterForm
from assessments.queries.access import organisations_for_consultant, units_of
from assessments.queries.audit import entries_for_user

ENTRIES_PER_PAGE = 50


@login_required
def audit_log(request):
    """The audit log of the organisations the user advises (every entry for an admin)."""
    organisations = list(organisations_for_consultant(request.user).order_by("name"))
    if not organisations and not request.user.is_superuser:
        raise Http404("No audit log to show.")
    units = units_of(organisations)
    form = AuditFilterForm(request.GET or None, organisations=organisations, units=units)
    # Newest first across chains: the primary key grows with every entry written.
    entries = entries_for_user(request.user).order_by("-pk")
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
