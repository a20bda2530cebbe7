"""Settings shared by every environment; everything site-specific comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSECURE_DEFAULT_SECRET_KEY = "django-insecure-sozialraum-dev-only-change-me"


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_DEFAULT_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "core",
    "notices",
    "network",
    "cms",
    "forum",
    "documents",
    "meetings",
    "minutes",
    "monitoring",
    "newsletter",
    "planning",
    "reports",
    "surveys",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "network.apps.WagtailUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "anymail",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "network.middleware.AuthenticationMiddleware",
    "core.middleware.LoginForAnonymousRefusalsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.csp.SiteCSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "network.middleware.RequireSecondFactorMiddleware",
    "cms.pageforms.RefuseUnreadablePreviewsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "cms.site_cache.CachedSiteMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "network.context_processors.roles",
                "notices.context_processors.unread_notices",
                "cms.navigation.context",
            ],
        },
    },
]

WSGI_APPLICATION = None
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, with closed connections kept for the next request (core/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "core.sqlite"
    # WAL lets the web process read while the task worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "network.User"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # channels-redis, receiving a process's messages with one task (config/channel_layers.py).
            "BACKEND": "config.channel_layers.ProcessRedisChannelLayer",
            # redis-py gives up reading after 5 s by default, just when an idle receive of the
            # layer times out on purpose (redis/redis-py#4091): every quiet connection would drop.
            # Its pool refuses a 101st concurrent command: when hundreds of pages close at once
            # (a proxy reload), each leaves its groups at the same moment.
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 10, "max_connections": 1000}]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "config.channel_layers.SingleProcessChannelLayer"}}

# Shared by all processes when Redis is there, so an editor's change reaches every server at once.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                # An unreachable server costs a page at most this long before it goes on without the cache.
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 2,
                # Everything kept here can be worked out again (navigation links, rendered posts, rate-limit
                # counters, who reads a topic): while Redis restarts a read is a miss and a write is dropped,
                # so pages are slower, not broken (tests/site/test_faults.py).
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    # Room for the rendered posts of a few hundred topic pages (forum.rendering).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}}}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Forum attachments, profile pictures and the bodies' documents (core/storages.py); back it up together with
# MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
# Who sends a private file after the view's permission check (core/downloads.py): "django" streams it;
# "x-accel-redirect" (nginx, internal location at PRIVATE_FILES_ACCEL_PREFIX aliasing PRIVATE_MEDIA_ROOT)
# or "x-sendfile" (Apache mod_xsendfile) hand it to the web server.
PRIVATE_FILES_SERVE_METHOD = os.environ.get("PRIVATE_FILES_SERVE_METHOD", "django")
PRIVATE_FILES_ACCEL_PREFIX = os.environ.get("PRIVATE_FILES_ACCEL_PREFIX", "/_privat/")
# Largest file of a body's document library (README's nginx example allows 20 MB request bodies).
DOCUMENTS_MAX_BYTES = int(os.environ.get("DOCUMENTS_MAX_BYTES", 20 * 1024 * 1024))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
}

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# allauth: e-mail is the login, verification is mandatory.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Sozialraum] "
ACCOUNT_ADAPTER = "network.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "network.forms.SignupForm"}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = os.environ.get("SITE_PROTOCOL", "http")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Sozialraum Teltow"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "core.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Sozialraumnetzwerk Teltow <sozialraum@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Forum mentions and replies from one topic within this many seconds arrive as one mail (0: one mail each, at once).
FORUM_MAIL_BATCH_SECONDS = int(os.environ.get("FORUM_MAIL_BATCH_SECONDS", "180"))

WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Sozialraumnetzwerk Teltow")
# The public base URL for links in mails and the Wagtail admin. Unset in production, the default Wagtail
# Site (Settings → Sites) names it (network.mail.site_url); development derives it from the server's address.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL or None
WAGTAIL_I18N_ENABLED = False
# No third-party requests: Wagtail would load editors' avatars from Gravatar and ask
# releases.wagtail.org for its latest version on the dashboard.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "txt", "csv"]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("de", "Deutsch"), ("en", "English")]

# Scripts only from our own origin: no inline scripts or handlers, no eval (config/csp.py
# relaxes this for the Wagtail admin only). Styles allow inline attributes, which the
# e-mail previews and Wagtail's admin use.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

SESSION_COOKIE_HTTPONLY = True
# Database sessions that bring their user and roles in the same round trip on PostgreSQL (network/sessions.py).
SESSION_ENGINE = "network.sessions"
# Messages live in the session: the cookie storage would add a cookie beyond the necessary ones.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Daphne's runserver gives its access log a handler of its own; without this it prints twice.
    "loggers": {"django.channels.server": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

NETWORK_INVITATION_DAYS = int(os.environ.get("NETWORK_INVITATION_DAYS", "14"))
DEMO_DATA_ALLOWED = env_bool("DEMO_DATA_ALLOWED", True)

# Surveys (surveys app): the least time a person needs for a public survey (a bot fills it at once), and how
# many answers one address may send to public surveys (allauth's rate format: amount/period/ip).
SURVEYS_MIN_FILL_SECONDS = int(os.environ.get("SURVEYS_MIN_FILL_SECONDS", "4"))
SURVEYS_ANSWER_RATE_LIMIT = os.environ.get("SURVEYS_ANSWER_RATE_LIMIT", "20/h/ip")
# Automatic feedback (surveys.feedback_requests) is asked this many hours after a meeting ended.
SURVEYS_FEEDBACK_DELAY_HOURS = int(os.environ.get("SURVEYS_FEEDBACK_DELAY_HOURS", "2"))

NEWSLETTER_CONFIRMATION_DAYS = int(os.environ.get("NEWSLETTER_CONFIRMATION_DAYS", "7"))
NEWSLETTER_RATE_LIMIT = float(os.environ.get("NEWSLETTER_RATE_LIMIT", "10"))
NEWSLETTER_MAX_CONSECUTIVE_ERRORS = int(os.environ.get("NEWSLETTER_MAX_CONSECUTIVE_ERRORS", "10"))
NEWSLETTER_RETRY_DELAYS = (60, 300, 900, 3600, 14400)
NEWSLETTER_CLAIM_TIMEOUT = int(os.environ.get("NEWSLETTER_CLAIM_TIMEOUT", "600"))
# Rows a worker claims at once. Each batch costs about 5 ms of bookkeeping (claim, suppression check, confirm,
# counters, a new SMTP connection): with 200 that was a fifth of a worker's CPU per message, with 500 a tenth
# (bench/README.md, newsletter, sixth round). A worker that dies leaves its batch for NEWSLETTER_CLAIM_TIMEOUT.
NEWSLETTER_BATCH_SIZE = int(os.environ.get("NEWSLETTER_BATCH_SIZE", "500"))
# How many task workers (`db_worker`) send one newsletter together.
NEWSLETTER_PARALLEL_TASKS = int(os.environ.get("NEWSLETTER_PARALLEL_TASKS", "2"))
NEWSLETTER_POLL_INTERVAL = int(os.environ.get("NEWSLETTER_POLL_INTERVAL", "5"))
NEWSLETTER_LIST_ID_DOMAIN = os.environ.get("NEWSLETTER_LIST_ID_DOMAIN", "sozialraum.example.org")
NEWSLETTER_UNSUBSCRIBE_MAILBOX = os.environ.get(
    "NEWSLETTER_UNSUBSCRIBE_MAILBOX", f"unsubscribe@{NEWSLETTER_LIST_ID_DOMAIN}"
)
NEWSLETTER_RECORD_IP = env_bool("NEWSLETTER_RECORD_IP", False)
NEWSLETTER_SOFT_BOUNCE_LIMIT = int(os.environ.get("NEWSLETTER_SOFT_BOUNCE_LIMIT", "3"))
NEWSLETTER_BOUNCE_IMAP_HOST = os.environ.get("NEWSLETTER_BOUNCE_IMAP_HOST", "")
NEWSLETTER_BOUNCE_IMAP_PORT = int(os.environ.get("NEWSLETTER_BOUNCE_IMAP_PORT", "993"))
NEWSLETTER_BOUNCE_IMAP_SSL = env_bool("NEWSLETTER_BOUNCE_IMAP_SSL", True)
NEWSLETTER_BOUNCE_IMAP_USER = os.environ.get("NEWSLETTER_BOUNCE_IMAP_USER", "")
NEWSLETTER_BOUNCE_IMAP_PASSWORD = os.environ.get("NEWSLETTER_BOUNCE_IMAP_PASSWORD", "")
NEWSLETTER_BOUNCE_IMAP_FOLDER = os.environ.get("NEWSLETTER_BOUNCE_IMAP_FOLDER", "INBOX")
NEWSLETTER_BOUNCE_IMAP_PROCESSED_FOLDER = os.environ.get("NEWSLETTER_BOUNCE_IMAP_PROCESSED_FOLDER") or None
# Provider webhooks (bounces, complaints) authenticate with basic auth "user:password".
ANYMAIL = {"WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET", "")}
NEWSLETTER_STATUS_CHECK_INTERVAL = float(os.environ.get("NEWSLETTER_STATUS_CHECK_INTERVAL", "1"))

# Meetings: who appears as the organiser in calendar invitations (replies go to the platform, not here).
MEETINGS_ORGANIZER_EMAIL = os.environ.get("MEETINGS_ORGANIZER_EMAIL", "sozialraum@example.org")
MEETINGS_ORGANIZER_NAME = os.environ.get("MEETINGS_ORGANIZER_NAME", "Sozialraumnetzwerk Teltow")
# How long the one-click reply links in invitation mails stay valid.
MEETINGS_REPLY_LINK_DAYS = int(os.environ.get("MEETINGS_REPLY_LINK_DAYS", "90"))
