"""Personal survey links: signed participant id and nonce. Nothing secret is stored; a new nonce voids old links."""

import secrets

from django.core import signing

SALT = "surveys.invitation"


class BadLink(Exception):
    """Forged, damaged or replaced: the view answers with a German 404 page."""


def new_nonce() -> str:
    return secrets.token_hex(16)


def make_token(participant) -> str:
    return signing.dumps({"p": participant.pk, "n": participant.nonce}, salt=SALT)


def read_token(token: str) -> dict:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature as error:
        raise BadLink() from error
    if not isinstance(data, dict) or not isinstance(data.get("p"), int) or not isinstance(data.get("n"), str):
        raise BadLink()
    return data
