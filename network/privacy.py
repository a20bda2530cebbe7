"""The network's part of a person's data (core.privacy): profile, organisation, roles, second factors,
memberships, join requests and invitations; and its rule that the last moderator of a body stays."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.mail import absolute_url
from core.privacy import register_part

from . import access
from .models import Invitation, JoinRequest, Membership

# Download ---------------------------------------------------------------------------------


def _profile(user):
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "public_name": user.public_name,
        "job_title": user.job_title,
        "bio": user.bio,
        "avatar": absolute_url(reverse("network:person_avatar", args=[user.pk])) if user.avatar else None,
        "approval": user.get_approval_display(),
        "approved_at": user.approved_at,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_active": user.is_active,
        "notifications": {
            "notify_by_email": user.get_notify_by_email_display(),
            "notify_on_mention": user.notify_on_mention,
            "notify_on_reply": user.notify_on_reply,
        },
    }


def _organisation(user):
    organisation = user.organisation
    if organisation is None:
        return None
    return {"name": organisation.name, "kind": organisation.get_kind_display(), "address": organisation.address}


def _network_part(subject):
    user = subject.user
    return {
        "profile": _profile(user),
        "organisation": _organisation(user),
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).order_by("email").values("email", "verified", "primary")
        ),
        # What kind of second factor and when it was used; never the secret itself.
        "second_factors": [
            {
                "type": authenticator.get_type_display(),
                "created_at": authenticator.created_at,
                "last_used_at": authenticator.last_used_at,
            }
            for authenticator in Authenticator.objects.filter(user=user).order_by("created_at")
        ],
        "memberships": [
            {"body": membership.body.name, "role": membership.get_role_display(), "since": membership.since}
            for membership in Membership.objects.filter(user=user).select_related("body").order_by("body__name")
        ],
        "join_requests": [
            {
                "body": join_request.body.name,
                "message": join_request.message,
                "status": join_request.get_status_display(),
                "created_at": join_request.created_at,
                "decided_at": join_request.decided_at,
            }
            for join_request in JoinRequest.objects.filter(user=user).select_related("body").order_by("created_at")
        ],
        "invitations_received": [
            {
                "body": invitation.body.name,
                "email": invitation.email,
                "status": invitation.get_status_display(),
                "created_at": invitation.created_at,
                "expires_at": invitation.expires_at,
                "decided_at": invitation.decided_at,
            }
            for invitation in Invitation.objects.filter(email__in=subject.email_addresses)
            .select_related("body")
            .order_by("created_at")
        ],
    }


# Deletion ---------------------------------------------------------------------------------


def bodies_moderated_alone(user):
    """The bodies that would have no moderation left without `user` (the network's rule in services)."""
    mine = Membership.objects.filter(user=user, role=Membership.Role.MODERATOR)
    others = Membership.objects.filter(role=Membership.Role.MODERATOR).exclude(user=user)
    return [
        membership.body
        for membership in mine.exclude(body__in=others.values("body")).select_related("body").order_by("body__name")
    ]


def _refuse_if_last_moderator(subject):
    bodies = bodies_moderated_alone(subject.user)
    if bodies:
        raise ValidationError(
            _(
                "Sie moderieren „%(bodies)s“ als Einzige(r). Bitte benennen Sie dort zuerst eine weitere "
                "Moderation, bevor Sie Ihr Konto löschen."
            )
            % {"bodies": "“, „".join(body.name for body in bodies)}
        )


def _session_keys_of(user):
    # The database session store keeps no index by user; active sessions are few and read in one query.
    user_id = str(user.pk)
    return [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now())
        if session.get_decoded().get("_auth_user_id") == user_id
    ]


def _delete_files_after_commit(files):
    for field_file in files:
        storage, name = field_file.storage, field_file.name
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


def _erase_network_data(subject):
    user = subject.user
    Invitation.objects.filter(email__in=subject.email_addresses).delete()
    files = [user.avatar] if user.avatar else []
    wagtail_profile = getattr(user, "wagtail_userprofile", None)
    if wagtail_profile is not None and wagtail_profile.avatar:
        files.append(wagtail_profile.avatar)
    # Files go only once the rows are gone for good: a rolled-back deletion keeps its pictures.
    _delete_files_after_commit(files)
    Session.objects.filter(session_key__in=_session_keys_of(user)).delete()
    access.forget_cached_roles(user)


register_part("network", export=_network_part, erase=_erase_network_data, refuse=_refuse_if_last_moderator)
