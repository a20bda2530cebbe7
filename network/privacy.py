"""A person's rights over their data (DSGVO Art. 15, 17, 20): download everything, delete the account.

The network knows people, bodies and memberships only. The forum, the newsletter and the CMS hold
data of their own about a person; each registers its part here (`register_part`, called from its
AppConfig.ready), so the network assembles the download and runs the deletion without importing
the apps above it.
"""

import json
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import access
from .mail import absolute_url
from .models import Invitation, JoinRequest, Membership

User = get_user_model()

EXPORT_FORMAT_VERSION = 1


@dataclass(frozen=True)
class DataSubject:
    """The person whose data is exported or erased: the account and every address it ever confirmed or added."""

    user: object
    email_addresses: tuple
    delete_posts: bool = False


@dataclass(frozen=True)
class PersonalDataPart:
    name: str
    export: object
    erase: object = None


_parts = {}


def register_part(name, *, export, erase=None):
    """Let an app contribute `export(subject) -> JSON-able data` and `erase(subject)` (run inside the
    deletion's transaction, before the account row goes)."""
    _parts[name] = PersonalDataPart(name, export, erase)


def email_addresses_of(user):
    addresses = {user.email.lower()}
    addresses.update(address.lower() for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    return tuple(sorted(addresses))


def _subject(user, delete_posts=False):
    return DataSubject(user=user, email_addresses=email_addresses_of(user), delete_posts=delete_posts)


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
            {"type": authenticator.get_type_display(), "created_at": authenticator.created_at, "last_used_at": authenticator.last_used_at}
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


def export_personal_data(user):
    """Everything the platform stores about `user`, as one JSON-able dict."""
    subject = _subject(user)
    data = {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now(),
        "email_addresses_searched": list(subject.email_addresses),
        "network": _network_part(subject),
    }
    for part in _parts.values():
        data[part.name] = part.export(subject)
    return data


def personal_data_json(user):
    return json.dumps(export_personal_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


# Deletion ---------------------------------------------------------------------------------


def bodies_moderated_alone(user):
    """The bodies that would have no moderation left without `user` (the network's rule in services)."""
    mine = Membership.objects.filter(user=user, role=Membership.Role.MODERATOR)
    others = Membership.objects.filter(role=Membership.Role.MODERATOR).exclude(user=user)
    return [
        membership.body
        for membership in mine.exclude(body__in=others.values("body")).select_related("body").order_by("body__name")
    ]


def _refuse_if_last_moderator(user):
    bodies = bodies_moderated_alone(user)
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
    # Memberships, join requests, e-mail addresses, second factors and every app's rows that
    # point at the account cascade; posts, reports and log entries keep their rows without it.
    User.objects.filter(pk=user.pk).delete()


def delete_account(user, *, delete_posts=False):
    """Delete `user` and their personal data in one transaction: all of it, or (on any error) nothing.

    Forum posts stay as „gelöschte Person“ with their text unless `delete_posts`; what the
    newsletter keeps as proof of a withdrawn consent is decided in `newsletter.privacy`.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        _refuse_if_last_moderator(user)
        subject = _subject(user, delete_posts=delete_posts)
        for part in _parts.values():
            if part.erase is not None:
                part.erase(subject)
        _erase_network_data(subject)
