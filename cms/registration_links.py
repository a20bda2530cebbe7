"""The signed link in every registration mail: it opens the registrant's own registration (to see
it, choose workshops of a conference, cancel) without an account and without a stored secret."""

from django.core import signing

SALT = "cms.registration"


class BadRegistrationLink(Exception):
    """Forged or damaged: the view answers with a German 4xx page, nothing changes."""


def registration_token(registration) -> str:
    # The address is part of the signed value: a link stays bound to the person it was mailed to.
    # No timestamp: the link stays valid as long as the registration, and the same one comes from every mail.
    return signing.Signer(salt=SALT).sign_object({"r": registration.pk, "e": registration.email.lower()}, compress=True)


def read_registration_token(token: str) -> dict:
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
    except signing.BadSignature as error:
        raise BadRegistrationLink() from error
    if not isinstance(data, dict) or not isinstance(data.get("r"), int) or not isinstance(data.get("e"), str):
        raise BadRegistrationLink()
    return data
