"""Tests: fast hashing, mails to the in-memory outbox, tasks run at once."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key-which-is-long-enough-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ALLOWED_HOSTS = ["*"]
ACCOUNT_RATE_LIMITS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
# Tests answer many surveys from one address; the rate-limit test sets its own limit.
SURVEYS_ANSWER_RATE_LIMIT = ""
if DATABASES["default"]["ENGINE"] == "core.sqlite":  # noqa: F405
    # The tests' in-memory databases are never closed, so nothing would be kept (core/sqlite/base.py);
    # pytest-django gives each xdist worker its own in-memory database only for Django's own engine name.
    DATABASES["default"]["ENGINE"] = "django.db.backends.sqlite3"  # noqa: F405
