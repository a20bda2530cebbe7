"""Production: refuses to start with the shipped secret key or with DEBUG on."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DEBUG, INSECURE_DEFAULT_SECRET_KEY, INSTALLED_APPS, SECRET_KEY, SITE_URL, env_bool

if SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY must be set to a long random value in production.")
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")

# The site is served over HTTPS only, behind a proxy that sets X-Forwarded-Proto. HSTS
# includes subdomains and asks for preloading; a town serving other sites on HTTP below
# this host name turns those off with HSTS_INCLUDE_SUBDOMAINS / HSTS_PRELOAD=false.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# Links in mails and in the Wagtail admin's notifications: SITE_URL, else the site's own host name (the first
# plain name in ALLOWED_HOSTS), served over HTTPS only. Without either, network.mail.site_url asks the
# default Wagtail Site.
if not SITE_URL:
    _host = next((host for host in ALLOWED_HOSTS if host and host != "*" and not host.startswith(".")), "")
    SITE_URL = f"https://{_host}" if _host else ""
WAGTAILADMIN_BASE_URL = SITE_URL or None

# Daphne's app only makes `runserver` serve WebSockets in development; production starts the
# daphne program itself, and every worker and command would import Twisted for nothing (0.13 s).
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "daphne"]
DEMO_DATA_ALLOWED = env_bool("DEMO_DATA_ALLOWED", False)
