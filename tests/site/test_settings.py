"""Settings are read from the environment once, at import: each case imports them in a fresh process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LONG_SECRET = "k" * 50

IMPORT_SETTINGS = """
import importlib, json, sys
try:
    settings = importlib.import_module(sys.argv[1])
except Exception as exc:
    print(json.dumps({"error": type(exc).__name__, "message": str(exc)}))
else:
    print(json.dumps({
        "DEBUG": settings.DEBUG,
        "DATABASE": settings.DATABASES["default"],
        "CHANNEL_LAYER": settings.CHANNEL_LAYERS["default"],
        "EMAIL_BACKEND": settings.EMAIL_BACKEND,
        "SESSION_COOKIE_SECURE": getattr(settings, "SESSION_COOKIE_SECURE", None),
    }, default=str))
"""


def settings_with(module, **environ):
    """Import a settings module in a process that sees only the given variables (and PATH)."""
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_SETTINGS, f"config.settings.{module}"],
        cwd=PROJECT_ROOT,
        env={"PATH": os.environ.get("PATH", ""), **environ},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_production_refuses_to_start_with_the_shipped_secret_key():
    result = settings_with("production")

    assert result == {
        "error": "ImproperlyConfigured",
        "message": "SECRET_KEY must be set to a long random value in production.",
    }


def test_production_refuses_to_start_with_a_short_secret_key():
    assert settings_with("production", SECRET_KEY="too-short")["error"] == "ImproperlyConfigured"


@pytest.mark.parametrize("value", ["1", "true", "on"])
def test_production_refuses_to_start_with_debug_on(value):
    result = settings_with("production", SECRET_KEY=LONG_SECRET, DEBUG=value)

    assert result == {"error": "ImproperlyConfigured", "message": "DEBUG must be off in production."}


def test_production_starts_with_a_long_secret_key_and_secure_cookies():
    result = settings_with("production", SECRET_KEY=LONG_SECRET)

    assert result["DEBUG"] is False
    assert result["SESSION_COOKIE_SECURE"] is True


def test_without_database_url_the_site_runs_on_sqlite_in_wal_mode():
    database = settings_with("dev")["DATABASE"]

    assert database["ENGINE"] == "core.sqlite"
    assert database["NAME"] == str(PROJECT_ROOT / "db.sqlite3")
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_database_url_selects_postgresql():
    database = settings_with(
        "production",
        SECRET_KEY=LONG_SECRET,
        DATABASE_URL="postgres://sozialraum:geheim@db.internal:5433/sozialraum",
        DATABASE_CONN_MAX_AGE="60",
    )["DATABASE"]

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("db.internal", 5433, "sozialraum")
    assert (database["USER"], database["PASSWORD"]) == ("sozialraum", "geheim")
    assert database["CONN_MAX_AGE"] == 60
    assert "init_command" not in database.get("OPTIONS", {})


def test_without_redis_url_live_events_stay_in_the_process():
    layer = settings_with("dev")["CHANNEL_LAYER"]

    assert layer == {"BACKEND": "config.channel_layers.SingleProcessChannelLayer"}


def test_redis_url_selects_the_redis_channel_layer():
    layer = settings_with("production", SECRET_KEY=LONG_SECRET, REDIS_URL="redis://cache.internal:6379/2")[
        "CHANNEL_LAYER"
    ]

    assert layer == {
        "BACKEND": "config.channel_layers.ProcessRedisChannelLayer",
        "CONFIG": {
            "hosts": [{"address": "redis://cache.internal:6379/2", "socket_timeout": 10, "max_connections": 1000}]
        },
    }


def test_development_prints_mails_unless_a_backend_is_configured():
    assert settings_with("dev")["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert (
        settings_with("dev", EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend")["EMAIL_BACKEND"]
        == "django.core.mail.backends.smtp.EmailBackend"
    )
