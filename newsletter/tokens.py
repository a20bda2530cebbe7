"""Signed tokens in newsletter links: nothing is stored, a changed SECRET_KEY invalidates them all.

Each purpose has its own salt, so a manage token can never be replayed as a confirmation.
"""

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "newsletter.confirm"
MANAGE_SALT = "newsletter.manage"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"


class TokenExpired(Exception):
    pass


class TokenInvalid(Exception):
    pass


def _load(token, salt, max_age=None):
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise TokenExpired from error
    except signing.BadSignature as error:
        raise TokenInvalid from error


def confirmation_days():
    return getattr(settings, "NEWSLETTER_CONFIRMATION_DAYS", 7)


def make_confirm_token(subscription):
    return signing.dumps(subscription.pk, salt=CONFIRM_SALT)


def read_confirm_token(token):
    """The subscription id; TokenExpired once the sign-up itself would have expired."""
    return _load(token, CONFIRM_SALT, max_age=confirmation_days() * 86400)


def make_manage_token(email):
    return signing.dumps(email.lower(), salt=MANAGE_SALT)


def read_manage_token(token):
    return _load(token, MANAGE_SALT)


def make_unsubscribe_token(email, newsletter_id):
    return signing.dumps([email.lower(), newsletter_id], salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """(email, newsletter id) or TokenInvalid."""
    value = _load(token, UNSUBSCRIBE_SALT)
    if not (isinstance(value, list) and len(value) == 2):
        raise TokenInvalid
    return value[0], value[1]
