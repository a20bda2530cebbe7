"""The environment the platform runs under in every bench process: production settings, a file database."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DRIVERS = Path(__file__).resolve().parent
SECRET_KEY = "bench-only-secret-key-that-is-long-enough-0123456789abcdef"


def environment(db, settings="ours_settings", **extra):
    """Variables for a process of the platform; `settings` is the module name on PYTHONPATH.

    `db` is a SQLite file, or a postgres:// URL for the PostgreSQL configuration."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        PYTHONPATH=os.pathsep.join([str(ROOT), str(DRIVERS)]),
        SECRET_KEY=SECRET_KEY,
        DEBUG="false",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        DATABASE_URL=str(db) if str(db).startswith("postgres://") else f"sqlite:///{db}",
        LOG_LEVEL="ERROR",
        # Plain HTTP on loopback: production would redirect every request to HTTPS and keep
        # its cookies from being sent back.
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        **{key: str(value) for key, value in extra.items()},
    )
    if "REDIS_URL" not in extra:
        # A REDIS_URL left in the caller's shell would swap the channel layer the protocol prescribes.
        env.pop("REDIS_URL", None)
    return env


def setup(db, settings="ours_settings", **extra):
    """Configure Django in this process as `environment` would configure a child."""
    os.environ.update(environment(db, settings, **extra))
    for path in (str(ROOT), str(DRIVERS)):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()
