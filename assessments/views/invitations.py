"""Inviting people (a consultant's page per organisation) and accepting an invitation."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessments.forms.invitations import InvitationForm
from assessments.models import Invitation
from assessments.queries.access import get_consulted_organisation
from assessments.services.errors import InvitationInvalid, InvitationNotSent
from assessments.services.invitations import (
    invitation_accept,
    invitation_create,
    invitation_for_link,
    invitation_resend,
)


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


@login_required
def invitations(request, organisation):
    organisation = get_consulted_organisation(request.user, organisation)
    form = InvitationForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            invitation = invitation_create(
                organisation=organisation,
                email=email,
                role=form.cleaned_data["role"],
                unit=form.cleaned_data["unit"],
                invited_by=request.user,
                base_url=_base_url(request),
            )
        except InvitationInvalid as error:
            form.add_error("email", error.messages[0])
        except InvitationNotSent as error:
            messages.error(request, str(error))
            return redirect("invitations", organisation=organisation.slug)
        else:
            if invitation.is_pending:
                messages.success(request, f"Invitation sent to {email}.")
            else:
                messages.success(
                    request, f"{email} already had an account: added, and told by email."
                )
            return redirect("invitations", organisation=organisation.slug)
    listed = (
        Invitation.objects.filter(organisation=organisation)
        .select_related("unit", "invited_by")
        .order_by("-created_at")
    )
    return render(
        request,
        "invitations/list.html",
        {"organisation": organisation, "form": form, "invitations": listed},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def resend(request, organisation, pk):
    organisation = get_consulted_organisation(request.user, organisation)
    invitation = get_object_or_404(
        Invitation.objects.select_related("user", "unit", "organisation"),
        organisation=organisation,
        pk=pk,
    )
    try:
        invitation_resend(invitation=invitation, by=request.user, base_url=_base_url(request))
    except InvitationInvalid as error:
        messages.error(request, error.messages[0])
    except InvitationNotSent as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Invitation sent again to {invitation.email}.")
    return redirect("invitations", organisation=organisation.slug)


def accept(request, pk, token):
    """The link of an invitation email: choose a password, then land on home, logged in.
    Open to anyone holding the link (the token is the credential)."""
    try:
        invitation = invitation_for_link(pk, token)
    except InvitationInvalid as error:
        return render(
            request, "invitations/link_invalid.html", {"reason": error.messages[0]}, status=400
        )
    form = SetPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                invitation=invitation, token=token, password=form.cleaned_data["new_password1"]
            )
        except InvitationInvalid as error:
            return render(
                request, "invitations/link_invalid.html", {"reason": error.messages[0]}, status=400
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to Ladder. Your username is {user.username}.")
        return redirect("home")
    return render(
        request,
        "invitations/accept.html",
        {"invitation": invitation, "form": form},
        status=400 if form.errors else 200,
    )
