"""The alternatives, each in its own virtual environment with a minimal Django project.

Everything lives under bench/.peers/<name>/ (git-ignored). A virtual environment is built only
when it is missing or its pinned requirements changed; the project files are written on every
run, so what is measured always matches this file.
"""

import hashlib
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PEERS_DIR = BENCH / ".peers"

# Pinned to versions that install on Python 3.11 and run together; each peer gets the newest
# Django its release supports (machina 1.3 and django-newsletter 1.2 stop at the 4.2 LTS).
REQUIREMENTS = {
    "spirit": [
        "django-spirit==0.14.3",
        "Django==5.2.19",
        "django-djconfig==0.11.0",
        "django-haystack==3.4.0",
        "django-infinite-scroll-pagination==1.3.0",
        "mistune==0.8.4",
        "Whoosh==2.7.4",
        "pillow==13.0.0",
        "psycopg[binary]==3.3.9",
    ],
    "machina": [
        "django-machina==1.3.1",
        "Django==4.2.30",
        "django-haystack==3.4.0",
        "django-mptt==0.20.0",
        "django-widget-tweaks==1.5.1",
        "markdown2==2.5.5",
        "pillow==13.0.0",
        "psycopg[binary]==3.3.9",
    ],
    # Misago's last release on PyPI; it pins every dependency itself (Django 4.2.8, psycopg 3.1.16, Celery 5.3).
    "misago": ["misago==0.39.6"],
    "newsletter": [
        "django-newsletter==1.2.1",
        "Django==4.2.30",
        "sorl-thumbnail==13.4.0",
        "chardet==7.7.0",
        "pillow==13.0.0",
    ],
}

COMMON_SETTINGS = """\
import os

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_KEY = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["BENCH_DB"]}}
if os.environ.get("BENCH_DATABASE_URL"):
    # The PostgreSQL configuration: BENCH_DB still names the run's folder (search index, media).
    from urllib.parse import urlsplit

    _url = urlsplit(os.environ["BENCH_DATABASE_URL"])
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": _url.path.lstrip("/"),
                             "USER": _url.username, "HOST": _url.hostname, "PORT": _url.port}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
ROOT_URLCONF = "benchsite.urls"
USE_TZ = True
TIME_ZONE = "Europe/Berlin"
STATIC_URL = "/static/"
STATIC_ROOT = os.path.join(BASE_DIR, "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = os.path.join(BASE_DIR, "media")
# Account creation is set-up, not measured: the fast hasher keeps it short for every peer alike.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
"""

# Spirit's own project template (spirit/extra/project_template), reduced to SQLite and local
# caches; rate limits are off as they are off for every forum measured here.
SPIRIT_SETTINGS = (
    COMMON_SETTINGS
    + """
INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
    "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
    "django.contrib.humanize",
    "spirit.core", "spirit.admin", "spirit.search", "spirit.user", "spirit.user.admin",
    "spirit.user.auth", "spirit.category", "spirit.category.admin", "spirit.topic",
    "spirit.topic.admin", "spirit.topic.favorite", "spirit.topic.moderate",
    "spirit.topic.notification", "spirit.topic.private", "spirit.topic.unread", "spirit.comment",
    "spirit.comment.bookmark", "spirit.comment.flag", "spirit.comment.flag.admin",
    "spirit.comment.history", "spirit.comment.like", "spirit.comment.poll",
    "djconfig", "haystack",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "spirit.user.middleware.TimezoneMiddleware",
    "spirit.user.middleware.LastIPMiddleware",
    "spirit.user.middleware.LastSeenMiddleware",
    "spirit.user.middleware.ActiveUserMiddleware",
    "spirit.core.middleware.PrivateForumMiddleware",
    "djconfig.middleware.DjConfigMiddleware",
]
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.contrib.auth.context_processors.auth",
        "django.template.context_processors.debug",
        "django.template.context_processors.i18n",
        "django.template.context_processors.media",
        "django.template.context_processors.static",
        "django.template.context_processors.tz",
        "django.template.context_processors.request",
        "django.contrib.messages.context_processors.messages",
        "djconfig.context_processors.config",
    ]},
}]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "st_rate_limit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "spirit_rl", "TIMEOUT": None},
}
AUTHENTICATION_BACKENDS = [
    "spirit.user.auth.backends.UsernameAuthBackend",
    "spirit.user.auth.backends.EmailAuthBackend",
]
HAYSTACK_CONNECTIONS = {"default": {
    "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
    "PATH": os.path.join(os.path.dirname(os.environ["BENCH_DB"]), "spirit_search"),
}}
HAYSTACK_SIGNAL_PROCESSOR = "spirit.search.signals.RealtimeSignalProcessor"
LOGIN_URL = "spirit:user:auth:login"
LANGUAGE_CODE = "en"
USE_I18N = True
ST_RATELIMIT_ENABLE = False
ST_SITE_URL = "http://127.0.0.1/"
STORAGES = {
    "default": {"BACKEND": "spirit.core.storage.OverwriteFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
"""
)

SPIRIT_URLS = """\
from django.urls import include, path

import spirit.urls

urlpatterns = [path("", include(spirit.urls))]
"""

# machina's "getting started" settings, on SQLite with its simple search backend.
MACHINA_SETTINGS = (
    COMMON_SETTINGS
    + """
from machina import MACHINA_MAIN_STATIC_DIR, MACHINA_MAIN_TEMPLATE_DIR

INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
    "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
    "mptt", "haystack", "widget_tweaks",
    "machina", "machina.apps.forum", "machina.apps.forum_conversation",
    "machina.apps.forum_conversation.forum_attachments", "machina.apps.forum_conversation.forum_polls",
    "machina.apps.forum_feeds", "machina.apps.forum_moderation", "machina.apps.forum_search",
    "machina.apps.forum_tracking", "machina.apps.forum_member", "machina.apps.forum_permission",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "machina.apps.forum_permission.middleware.ForumPermissionMiddleware",
]
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [MACHINA_MAIN_TEMPLATE_DIR],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.debug",
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "machina.core.context_processors.metadata",
    ]},
}]
STATICFILES_DIRS = [MACHINA_MAIN_STATIC_DIR]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "machina_attachments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "machina"},
}
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
LANGUAGE_CODE = "en"
USE_I18N = True
MACHINA_TOPIC_POSTS_NUMBER_PER_PAGE = 20
MACHINA_DEFAULT_AUTHENTICATED_USER_FORUM_PERMISSIONS = [
    "can_see_forum", "can_read_forum", "can_start_new_topics", "can_reply_to_topics",
    "can_edit_own_posts", "can_post_without_approval",
]
"""
)

MACHINA_URLS = """\
from django.urls import include, path

from machina import urls as machina_urls

urlpatterns = [path("forum/", include(machina_urls))]
"""

# Misago's own development project (devproject/settings.py of the 0.39.6 tag) without the debug toolbar:
# PostgreSQL only (Misago runs on nothing else), local memory cache as there, Celery with a Redis broker
# (BENCH_CELERY_BROKER: the private redis-server the bench starts), so a reply enqueues its notification
# task as ours does. Misago's flood interval and post limits are lifted by the driver.
MISAGO_SETTINGS = """\
import os
from urllib.parse import urlsplit

from misago.settings import *  # noqa: F403

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_KEY = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
_url = urlsplit(os.environ["BENCH_DATABASE_URL"])
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": _url.path.lstrip("/"),
                         "USER": _url.username, "HOST": _url.hostname, "PORT": _url.port}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LANGUAGE_CODE = "en-us"
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
MEDIA_URL = "/media/"
STATIC_ROOT = os.path.join(BASE_DIR, "static")
MEDIA_ROOT = os.path.join(os.path.dirname(os.environ["BENCH_DB"]), "media")
STATICFILES_DIRS = []
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = "Forums <forum@example.org>"
AUTH_USER_MODEL = "misago_users.User"
AUTHENTICATION_BACKENDS = ["misago.users.authbackends.MisagoBackend"]
CSRF_FAILURE_VIEW = "misago.core.errorpages.csrf_failure"
INSTALLED_PLUGINS = []
INSTALLED_APPS = [*INSTALLED_APPS]  # noqa: F405
LOGIN_REDIRECT_URL = "misago:index"
LOGIN_URL = "misago:login"
LOGOUT_URL = "misago:logout"
MIDDLEWARE = [
    "misago.users.middleware.RealIPMiddleware",
    "misago.core.middleware.FrontendContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "misago.cache.middleware.cache_versions_middleware",
    "misago.conf.middleware.dynamic_settings_middleware",
    "misago.socialauth.middleware.socialauth_providers_middleware",
    "misago.users.middleware.UserMiddleware",
    "misago.acl.middleware.user_acl_middleware",
    "misago.core.middleware.ExceptionHandlerMiddleware",
    "misago.users.middleware.OnlineTrackerMiddleware",
    "misago.admin.middleware.AdminAuthMiddleware",
    "misago.threads.middleware.UnreadThreadsCountMiddleware",
]
ROOT_URLCONF = "benchsite.urls"
SOCIAL_AUTH_STRATEGY = "misago.socialauth.strategy.MisagoStrategy"
SOCIAL_AUTH_JSONFIELD_ENABLED = True
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": TEMPLATE_CONTEXT_PROCESSORS},  # noqa: F405
}]
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["misago.core.rest_permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "misago.core.exceptionhandler.handle_api_exception",
    "UNAUTHENTICATED_USER": "misago.users.models.AnonymousUser",
    "URL_FORMAT_OVERRIDE": None,
}
CELERY_BROKER_URL = os.environ.get("BENCH_CELERY_BROKER", "memory://")
MISAGO_SEARCH_CONFIG = "simple"
# misago.settings lists the debug toolbar among the apps; its middleware stays out, as in production.
SILENCED_SYSTEM_CHECKS = ["debug_toolbar.W001"]
MISAGO_AVATARS_SIZES = [400, 200, 100]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
"""

# devproject/urls.py: Misago's pages and the JavaScript translations their template links.
MISAGO_URLS = """\
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django.views.i18n import JavaScriptCatalog

urlpatterns = [
    path("", include("misago.urls", namespace="misago")),
    path("django-i18n.js", cache_page(86400 * 21)(JavaScriptCatalog.as_view(packages=["misago"])), name="django-i18n"),
]
"""

# devproject/celery.py: the app every shared_task of Misago's sends to.
MISAGO_INIT = """\
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchsite.settings")
celery_app = Celery("benchsite")
celery_app.config_from_object("django.conf:settings", namespace="CELERY")
celery_app.autodiscover_tasks()
"""

# django-newsletter's documented set-up; every throttle is set to zero.
NEWSLETTER_SETTINGS = (
    COMMON_SETTINGS
    + """
INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
    "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
    "django.contrib.sites", "sorl.thumbnail", "newsletter",
]
SITE_ID = 1
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
NEWSLETTER_THUMBNAIL = "sorl-thumbnail"
NEWSLETTER_USE_HTTPS = True
NEWSLETTER_CONFIRM_EMAIL = False
NEWSLETTER_EMAIL_DELAY = 0
NEWSLETTER_BATCH_SIZE = 0
NEWSLETTER_BATCH_DELAY = 0
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = "newsletter@example.org"
"""
)

NEWSLETTER_URLS = """\
from django.urls import include, path

urlpatterns = [path("newsletter/", include("newsletter.urls"))]
"""

MANAGE = """\
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchsite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""

PROJECTS = {
    "spirit": (SPIRIT_SETTINGS, SPIRIT_URLS),
    "machina": (MACHINA_SETTINGS, MACHINA_URLS),
    "newsletter": (NEWSLETTER_SETTINGS, NEWSLETTER_URLS),
    "misago": (MISAGO_SETTINGS, MISAGO_URLS),
}
PACKAGE_INIT = {"misago": MISAGO_INIT}


class Peer:
    def __init__(self, name):
        self.name = name
        self.root = PEERS_DIR / name
        self.venv = self.root / "venv"
        self.python = self.venv / "bin" / "python"
        self.project = self.root / "project"

    def versions(self):
        return {line.split("==")[0]: line.split("==")[1] for line in REQUIREMENTS[self.name]}

    def manage(self, *arguments, env):
        subprocess.run([str(self.python), "manage.py", *arguments], cwd=self.project, env=env, check=True, timeout=600)


def _install(peer, log):
    requirements = "\n".join(REQUIREMENTS[peer.name]) + "\n"
    stamp = peer.venv / "bench-requirements.txt"
    if peer.python.exists() and stamp.exists() and stamp.read_text() == requirements:
        return
    log(f"installing {peer.name} into {peer.venv.relative_to(BENCH.parent)}")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(peer.venv)], check=True)
    subprocess.run(
        [str(peer.python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *REQUIREMENTS[peer.name]],
        check=True,
    )
    stamp.write_text(requirements)


def _write_project(peer):
    settings, urls = PROJECTS[peer.name]
    package = peer.project / "benchsite"
    package.mkdir(parents=True, exist_ok=True)
    files = {
        package / "__init__.py": PACKAGE_INIT.get(peer.name, ""),
        package / "settings.py": settings,
        package / "urls.py": urls,
        peer.project / "manage.py": MANAGE,
    }
    for path, text in files.items():
        if not path.exists() or path.read_text() != text:
            path.write_text(text)


def ensure(name, log=print):
    peer = Peer(name)
    _install(peer, log)
    _write_project(peer)
    return peer


def fingerprint():
    """Identifies the peer set-up in the results, so numbers from different pins are not mixed up."""
    text = (
        repr(sorted(REQUIREMENTS.items()))
        + "".join(settings + urls for settings, urls in PROJECTS.values())
        + "".join(PACKAGE_INIT.values())
    )
    return hashlib.sha256(text.encode()).hexdigest()[:12]
