"""Local development: DEBUG on by default, mails printed to the console unless configured."""

import os
import sys

from config.server_address import DEFAULT_ADDRESS, site_url_from_command_line

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
# Mails link to the address this server was started with (`make run RUN_ADDRESS=…` passes SITE_URL on to
# the worker); an explicit SITE_URL wins.
SITE_URL = (
    os.environ.get("SITE_URL", "").rstrip("/") or site_url_from_command_line(sys.argv) or f"http://{DEFAULT_ADDRESS}"
)
WAGTAILADMIN_BASE_URL = SITE_URL
if "EMAIL_BACKEND" not in os.environ:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
