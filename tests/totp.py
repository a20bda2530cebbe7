"""The code a person's authenticator app shows right now, for tests that log in with a second factor.

pyotp plays the authenticator app (RFC 6238, as allauth checks it); allauth's adapter decrypts the
stored secret (its public API; the code generation itself is internal to allauth)."""

import pyotp
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.adapter import get_adapter


def current_code(authenticator):
    """`authenticator`: the TOTP `Authenticator` row (`with_totp(user).instance`)."""
    secret = get_adapter().decrypt(authenticator.data["secret"])
    return pyotp.TOTP(secret, digits=mfa_settings.TOTP_DIGITS, interval=mfa_settings.TOTP_PERIOD).now()
