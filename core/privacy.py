"""A person's rights over their data (DSGVO Art. 15, 17, 20): download everything, delete the account.

Every app that holds data about a person registers its part here (`register_part`, called from its
AppConfig.ready): the network its profile, memberships and invitations, the forum, the newsletter and
the CMS their own rows. The kernel assembles the download and runs the deletion without importing
any of them; the parts run in registration order (INSTALLED_APPS), the account row goes last.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

EXPORT_FORMAT_VERSION = 1


@dataclass(frozen=True)
class DataSubject:
    """The person whose data is exported or erased: the account and every address it ever confirmed or added."""

    user: Any
    email_addresses: tuple[str, ...]
    delete_posts: bool = False


@dataclass(frozen=True)
class PersonalDataPart:
    name: str
    export: Callable[[DataSubject], Any]
    erase: Callable[[DataSubject], None] | None = None
    refuse: Callable[[DataSubject], None] | None = None


_parts: dict[str, PersonalDataPart] = {}


def register_part(
    name: str,
    *,
    export: Callable[[DataSubject], Any],
    erase: Callable[[DataSubject], None] | None = None,
    refuse: Callable[[DataSubject], None] | None = None,
) -> None:
    """Let an app contribute `export(subject) -> JSON-able data`, `erase(subject)` (run inside the
    deletion's transaction, before the account row goes) and `refuse(subject)`, which raises a
    ValidationError with the German reason when the account may not be deleted yet."""
    _parts[name] = PersonalDataPart(name, export, erase, refuse)


def email_addresses_of(user: Any) -> tuple[str, ...]:
    addresses = {user.email.lower()}
    addresses.update(
        address.lower() for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    )
    return tuple(sorted(addresses))


def _subject(user: Any, delete_posts: bool = False) -> DataSubject:
    return DataSubject(user=user, email_addresses=email_addresses_of(user), delete_posts=delete_posts)


def export_personal_data(user: Any) -> dict[str, Any]:
    """Everything the platform stores about `user`, as one JSON-able dict."""
    subject = _subject(user)
    data = {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now(),
        "email_addresses_searched": list(subject.email_addresses),
    }
    for part in _parts.values():
        data[part.name] = part.export(subject)
    return data


def personal_data_json(user: Any) -> str:
    return json.dumps(export_personal_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def delete_account(user: Any, *, delete_posts: bool = False) -> None:
    """Delete `user` and their personal data in one transaction: all of it, or (on any error) nothing.

    Forum posts stay as „gelöschte Person“ with their text unless `delete_posts`; what the
    newsletter keeps as proof of a withdrawn consent is decided in `newsletter.privacy`.
    """
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        subject = _subject(user, delete_posts=delete_posts)
        for part in _parts.values():
            if part.refuse is not None:
                part.refuse(subject)
        for part in _parts.values():
            if part.erase is not None:
                part.erase(subject)
        # Memberships, join requests, e-mail addresses, second factors and every app's rows that
        # point at the account cascade; posts, reports and log entries keep their rows without it.
        User.objects.filter(pk=user.pk).delete()
