"""Signed one-click reply links: who, which meeting, which answer; no login and no stored secret needed."""

from django.conf import settings
from django.core import signing

REPLY_SALT = "meetings.reply"


class BadReplyLink(Exception):
    """Forged, damaged or expired: the view answers with a German 4xx page."""

    def __init__(self, expired: bool = False):
        self.expired = expired
        super().__init__("expired" if expired else "bad signature")


def reply_token(user, meeting, answer: str) -> str:
    return signing.dumps({"u": user.pk, "m": meeting.pk, "a": answer}, salt=REPLY_SALT, compress=True)


def read_reply_token(token: str) -> dict:
    try:
        data = signing.loads(token, salt=REPLY_SALT, max_age=settings.MEETINGS_REPLY_LINK_DAYS * 24 * 3600)
    except signing.SignatureExpired as error:
        raise BadReplyLink(expired=True) from error
    except signing.BadSignature as error:
        raise BadReplyLink() from error
    if not isinstance(data, dict) or not {"u", "m", "a"} <= set(data):
        raise BadReplyLink()
    return data


GUEST_SALT = "meetings.guest"


def guest_token(guest) -> str:
    """The link of a guest without an account: it opens that one meeting's page and takes the answer."""
    return signing.dumps({"g": guest.pk}, salt=GUEST_SALT, compress=True)


def read_guest_token(token: str) -> int:
    try:
        data = signing.loads(token, salt=GUEST_SALT, max_age=settings.MEETINGS_REPLY_LINK_DAYS * 24 * 3600)
    except signing.SignatureExpired as error:
        raise BadReplyLink(expired=True) from error
    except signing.BadSignature as error:
        raise BadReplyLink() from error
    if not isinstance(data, dict) or not isinstance(data.get("g"), int):
        raise BadReplyLink()
    return data["g"]
