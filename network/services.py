"""Operations that change the network: approvals, joining, leaving, invitations, Quartiere."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.mail import absolute_url, queue_templated_mail
from core.permissions import Viewer

from . import access, membership_events, permissions
from .models import ApprovedDomain, District, Invitation, JoinRequest, Membership, NetworkBody, Organisation, User

DISTRICT_FIELDS = ("name", "slug", "description", "outline", "outline_is_approximate", "sort_order")


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower()


def approve_by_domain(user: User) -> bool:
    """Approve a freshly verified account at once when its domain is on the allow-list."""
    if user.approval != User.Approval.PENDING:
        return False
    match = ApprovedDomain.objects.filter(domain=email_domain(user.email)).select_related("organisation").first()
    if match is None:
        notify_coordination_of_signup(user)
        return False
    user.approval = User.Approval.APPROVED
    user.approved_at = timezone.now()
    if user.organisation_id is None and match.organisation_id:
        user.organisation = match.organisation
    user.save(update_fields=["approval", "approved_at", "organisation"])
    return True


def notify_coordination_of_signup(user: User) -> None:
    recipients = list(
        User.objects.filter(Q(groups__name=access.COORDINATION_GROUP) | Q(is_superuser=True), is_active=True)
        .values_list("email", flat=True)
        .distinct()
    )
    if recipients:
        queue_templated_mail(
            "network/email/signup_pending",
            recipients,
            {"person": user, "review_url": absolute_url(reverse("network:approvals"))},
        )


def pending_signups() -> QuerySet[User]:
    return (
        User.objects.filter(approval=User.Approval.PENDING, is_active=True, emailaddress__verified=True)
        .select_related("organisation")
        .distinct()
        .order_by("date_joined")
    )


def decide_signup(actor: Viewer, user: User, approve: bool) -> None:
    permissions.check_approve_signups(actor)
    if user.approval != User.Approval.PENDING:
        raise ValidationError(_("Über diese Registrierung wurde bereits entschieden."))
    user.approval = User.Approval.APPROVED if approve else User.Approval.DECLINED
    user.approved_at = timezone.now() if approve else None
    user.save(update_fields=["approval", "approved_at"])
    queue_templated_mail(
        "network/email/signup_approved" if approve else "network/email/signup_declined",
        [user.email],
        {"person": user, "login_url": absolute_url(reverse("account_login"))},
    )


def _add_member(user: User, body: NetworkBody, role: str = Membership.Role.MEMBER) -> Membership:
    membership, created = Membership.objects.get_or_create(user=user, body=body, defaults={"role": role})
    access.forget_cached_roles(user)
    if created:
        membership_events.member_joined.send(sender=NetworkBody, user=user, body=body)
    return membership


def request_to_join(user: User, body: NetworkBody, message: str = "") -> Membership | JoinRequest:
    """Open bodies take professionals at once; closed ones ask their moderators first."""
    permissions.check_join_body(user, body)
    if not body.is_members_only:
        return _add_member(user, body)
    with transaction.atomic():
        try:
            join_request = JoinRequest.objects.create(user=user, body=body, message=message.strip())
        except IntegrityError:
            raise ValidationError(_("Ihre Beitrittsanfrage liegt der Moderation bereits vor.")) from None
    moderators = list(
        User.objects.filter(memberships__body=body, memberships__role=Membership.Role.MODERATOR).values_list(
            "email", flat=True
        )
    )
    if moderators:
        queue_templated_mail(
            "network/email/join_request",
            moderators,
            {
                "join_request": join_request,
                "review_url": absolute_url(reverse("network:body_manage", args=[body.slug])),
            },
        )
    return join_request


def decide_join_request(actor: User, join_request: JoinRequest, accept: bool) -> JoinRequest:
    permissions.check_manage_body(actor, join_request.body)
    with transaction.atomic():
        join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        if join_request.status != JoinRequest.Status.PENDING:
            raise ValidationError(_("Über diese Anfrage wurde bereits entschieden."))
        join_request.status = JoinRequest.Status.ACCEPTED if accept else JoinRequest.Status.DECLINED
        join_request.decided_by = actor
        join_request.decided_at = timezone.now()
        join_request.save(update_fields=["status", "decided_by", "decided_at"])
        if accept:
            _add_member(join_request.user, join_request.body)
    queue_templated_mail(
        "network/email/join_request_decided",
        [join_request.user.email],
        {
            "join_request": join_request,
            "accepted": accept,
            "body_url": absolute_url(join_request.body.get_absolute_url()),
        },
    )
    return join_request


@transaction.atomic
def leave_body(user: User, body: NetworkBody) -> None:
    membership = Membership.objects.filter(user=user, body=body).first()
    if membership is None:
        raise ValidationError(_("Sie sind kein Mitglied dieses Gremiums."))
    _ensure_another_moderator(
        membership,
        _("Sie moderieren dieses Gremium als Einzige(r). Bitte übergeben Sie die Moderation, bevor Sie austreten."),
    )
    membership.delete()
    access.forget_cached_roles(user)
    membership_events.member_left.send(sender=NetworkBody, user=user, body=body)


def _ensure_another_moderator(membership: Membership, message: str | None = None) -> None:
    if (
        membership.role == Membership.Role.MODERATOR
        and not Membership.objects.filter(body=membership.body, role=Membership.Role.MODERATOR)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError(
            message
            or _("Das Gremium braucht mindestens eine Moderation. Bitte benennen Sie zuerst eine weitere Person.")
        )


def set_member_role(actor: Viewer, membership: Membership, role: str) -> None:
    permissions.check_manage_body(actor, membership.body)
    if role != Membership.Role.MODERATOR:
        _ensure_another_moderator(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    access.forget_cached_roles(membership.user)


@transaction.atomic
def remove_member(actor: Viewer, membership: Membership) -> None:
    permissions.check_manage_body(actor, membership.body)
    _ensure_another_moderator(membership)
    membership.delete()
    access.forget_cached_roles(membership.user)
    membership_events.member_left.send(sender=NetworkBody, user=membership.user, body=membership.body)


def invite(actor: User, body: NetworkBody, email: str) -> Invitation:
    permissions.check_manage_body(actor, body)
    email = email.strip().lower()
    if Membership.objects.filter(body=body, user__email__iexact=email).exists():
        raise ValidationError(_("Diese Person ist bereits Mitglied."))
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(body=body, email=email, invited_by=actor)
    except IntegrityError:
        raise ValidationError(_("An diese Adresse wurde bereits eine Einladung verschickt.")) from None
    queue_templated_mail(
        "network/email/invitation",
        [email],
        {"invitation": invitation, "invitation_url": absolute_url(invitation.get_absolute_url())},
    )
    return invitation


def answer_invitation(user: User, invitation: Invitation, accept: bool) -> Invitation:
    """The invited person accepts or declines; the link works once and only until it expires."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != Invitation.Status.PENDING:
            raise ValidationError(_("Diese Einladung wurde bereits beantwortet oder zurückgenommen."))
        if invitation.is_expired:
            raise ValidationError(
                _("Diese Einladung ist abgelaufen. Bitte fragen Sie die Moderation nach einer neuen.")
            )
        (permissions.check_accept_invitation if accept else permissions.check_answer_invitation)(user, invitation)
        invitation.status = Invitation.Status.ACCEPTED if accept else Invitation.Status.DECLINED
        invitation.accepted_by = user if accept else None
        invitation.decided_at = timezone.now()
        invitation.save(update_fields=["status", "accepted_by", "decided_at"])
        if accept:
            _add_member(user, invitation.body)
    return invitation


def revoke_invitation(actor: Viewer, invitation: Invitation) -> None:
    permissions.check_manage_body(actor, invitation.body)
    if invitation.status == Invitation.Status.PENDING:
        invitation.status = Invitation.Status.REVOKED
        invitation.decided_at = timezone.now()
        invitation.save(update_fields=["status", "decided_at"])


@transaction.atomic
def save_district(
    actor: Viewer,
    district: District | None,
    *,
    organisations: Iterable[Organisation] | None = None,
    **fields: Any,
) -> District:
    """Create (district None) or change a Quartier and, when given, which organisations work there."""
    permissions.check_manage_districts(actor)
    unknown = set(fields) - set(DISTRICT_FIELDS)
    if unknown:
        raise TypeError(f"unknown district fields: {sorted(unknown)}")
    district = district or District()
    for name, value in fields.items():
        setattr(district, name, value)
    district.full_clean()
    district.save()
    if organisations is not None:
        district.organisations.set(organisations)
    return district
