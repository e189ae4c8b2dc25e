"""Inviting people by email address to a role, and accepting an invitation.

A new person gets an account that cannot log in (inactive, no usable password) and an
email with a link to choose a password. The link carries a token of Django's password
reset machinery under a salt of its own: it is only good for the account as it stands, so
setting the password (which changes the password hash and the last login) spends it, and
it expires after PASSWORD_RESET_TIMEOUT. Choosing the password activates the account,
grants every role the person was invited to, and logs them in.

Someone who already has a working account is added to the role at once and told by email.
Every step is written to the organisation's audit log. No email carries answers: only who
invited whom to what, and the link.
"""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from assessments.audit import record
from assessments.models import BusinessUnit, Invitation, Membership, Organisation

from .errors import InvitationInvalid, InvitationNotSent


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Password-reset tokens under another salt: an invitation link is not a reset link."""

    key_salt = "ladder.invitations.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()


def _link(base_url: str, invitation: Invitation, token: str) -> str:
    path = reverse("invitation_accept", kwargs={"pk": invitation.pk, "token": token})
    return base_url.rstrip("/") + path


def _can_log_in(user) -> bool:
    return user.is_active and user.has_usable_password()


def _grant(invitation: Invitation) -> None:
    if invitation.role == Invitation.Role.CONSULTANT:
        invitation.organisation.consultants.add(invitation.user)
    else:
        Membership.objects.update_or_create(
            user=invitation.user, unit=invitation.unit, defaults={"role": invitation.role}
        )


def _audit(action: str, invitation: Invitation, *, actor, **details) -> None:
    record(
        action,
        actor=actor,
        organisation=invitation.organisation.slug,
        unit=invitation.unit.slug if invitation.unit else "",
        details={
            "invitation": invitation.pk,
            "email": invitation.email,
            "role": invitation.role,
            **details,
        },
    )


def send_text_email(template: str, subject: str, context: dict, to: str) -> None:
    """Render a plain-text email template and send it to one address through Django's mail
    framework. Raises OSError or smtplib.SMTPException when the mail server refuses."""
    send_mail(subject, render_to_string(template, context), None, [to])


def _send(invitation: Invitation, template: str, subject: str, context: dict, *, actor) -> None:
    context = {
        "invitation": invitation,
        "organisation": invitation.organisation,
        "unit": invitation.unit,
        "role": invitation.get_role_display(),
        "invited_by": invitation.invited_by,
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        **context,
    }
    try:
        send_text_email(template, subject, context, invitation.email)
    except (OSError, smtplib.SMTPException) as error:
        _audit("invitation.not_sent", invitation, actor=actor, error=type(error).__name__)
        raise InvitationNotSent(invitation.email) from error
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now(), times_sent=invitation.times_sent + 1
    )
    invitation.times_sent += 1


def _send_link(invitation: Invitation, base_url: str, *, actor) -> None:
    token = invitation_tokens.make_token(invitation.user)
    _send(
        invitation,
        "invitations/email_invitation.txt",
        f"You are invited to {invitation.organisation.name} on Ladder",
        {"link": _link(base_url, invitation, token)},
        actor=actor,
    )


def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    unit: BusinessUnit | None,
    invited_by,
    base_url: str,
) -> Invitation:
    """Invite `email` to `role` (of `unit` for a lead or respondent) and send the email;
    `base_url` (scheme and host) starts the links in it.

    Refuses (InvitationInvalid) an account an admin deactivated: inviting it must not bring
    it back. Raises InvitationNotSent when the mail server refuses: the invitation is kept, pending,
    and can be resent."""
    email = email.strip().lower()
    if role == Invitation.Role.CONSULTANT:
        unit = None
    elif unit is None or unit.organisation_id != organisation.pk:
        raise ValueError("a lead or respondent is invited to a unit of the organisation")
    users = get_user_model().objects
    with transaction.atomic():
        person = (
            users.filter(email__iexact=email).order_by("-is_active", "pk").first()
            or users.filter(username__iexact=email).first()
        )
        if person is not None and not person.is_active and person.has_usable_password():
            raise InvitationInvalid(
                f"The account of {email} is deactivated; only an administrator can reactivate it."
            )
        existing = person is not None and _can_log_in(person)
        if person is None:
            person = users.create_user(username=email, email=email, password=None)
            person.is_active = False
            person.save(update_fields=["is_active"])
        now = timezone.now()
        invitation = Invitation.objects.create(
            organisation=organisation,
            unit=unit,
            role=role,
            email=email,
            user=person,
            invited_by=invited_by,
            created_at=now,
            accepted_at=now if existing else None,
        )
        if existing:
            _grant(invitation)
        _audit(
            "invitation.added" if existing else "invitation.created",
            invitation,
            actor=invited_by,
        )
    if existing:
        _send(
            invitation,
            "invitations/email_added.txt",
            f"You were added to {organisation.name} on Ladder",
            {"link": base_url.rstrip("/") + reverse("home")},
            actor=invited_by,
        )
    else:
        _send_link(invitation, base_url, actor=invited_by)
    return invitation


def invitation_resend(*, invitation: Invitation, by, base_url: str) -> None:
    """Send a pending invitation's email again, with a fresh link."""
    if not invitation.is_pending:
        raise InvitationInvalid("This invitation was accepted already; there is nothing to resend.")
    _audit("invitation.resent", invitation, actor=by)
    _send_link(invitation, base_url, actor=by)


def invitation_for_link(pk: int, token: str) -> Invitation:
    """The pending invitation a link names, if its token is still good."""
    invitation = (
        Invitation.objects.select_related("user", "organisation", "unit").filter(pk=pk).first()
    )
    if (
        invitation is None
        or not invitation.is_pending
        or invitation.user.has_usable_password()
        or not invitation_tokens.check_token(invitation.user, token)
    ):
        raise InvitationInvalid(
            "This invitation link was used already or has expired. "
            "Log in if you chose a password; otherwise ask the consultant who invited you to send it again."
        )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, token: str, password: str):
    """Set the invited person's password, activate the account and grant every role they
    were invited to. The token is checked again inside the transaction (with the user row
    locked), so two submissions of one link cannot both succeed."""
    user = get_user_model().objects.select_for_update().get(pk=invitation.user_id)
    invitation.user = user
    if user.has_usable_password() or not invitation_tokens.check_token(user, token):
        raise InvitationInvalid("This invitation link was used already or has expired.")
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    now = timezone.now()
    for pending in Invitation.objects.select_related("organisation", "unit", "user").filter(
        user=user, accepted_at__isnull=True
    ):
        pending.accepted_at = now
        pending.save(update_fields=["accepted_at"])
        _grant(pending)
        _audit("invitation.accepted", pending, actor=user)
    return user
