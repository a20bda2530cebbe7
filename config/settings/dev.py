"""Local development: DEBUG on by default, mails printed to the console unless configured."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
if "EMAIL_BACKEND" not in os.environ:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
