"""The code a person's authenticator app shows right now, for tests that log in with a second factor."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt


def current_code(authenticator):
    """`authenticator`: the TOTP `Authenticator` row (`with_totp(user).instance`)."""
    secret = decrypt(authenticator.data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))
