"""The lead's or consultant's "Remind" button, and each person's email preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assessments import permissions
from assessments.models import EmailPreference
from assessments.queries.access import get_assessment_for_user, role_in_unit
from assessments.services.errors import ReminderNotSent
from assessments.services.reminders import remind_now, set_reminders


@login_required
@require_POST
def remind(request, pk, user_pk):
    assessment = get_assessment_for_user(request.user, pk)
    permissions.require(role_in_unit(request.user, assessment.unit), permissions.REMIND)
    try:
        name = remind_now(
            assessment=assessment,
            user_id=user_pk,
            by=request.user,
            url=request.build_absolute_uri("/"),
        )
    except LookupError as error:
        raise Http404("No such member of this unit.") from error
    except ReminderNotSent as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"A reminder was sent to {name}.")
    return redirect("assessment_overview", pk=assessment.pk)


@login_required
def email_preferences(request):
    preference = EmailPreference.objects.filter(user=request.user).first()
    on = preference is None or preference.reminders
    if request.method == "POST":
        on = request.POST.get("reminders") == "on"
        set_reminders(request.user, on)
        messages.success(request, "Reminders are on." if on else "Reminders are off.")
        return redirect("email_preferences")
    return render(request, "reminders/preferences.html", {"reminders_on": on})
