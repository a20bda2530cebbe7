"""Pytest plugin: private PostgreSQL and Redis servers for the test session.

Loaded with ``-p tests.servers`` (see ``addopts`` in pyproject.toml), so its hooks
run before pytest-django configures Django.

- ``--postgres`` starts a throw-away PostgreSQL cluster on a loopback port and points
  ``DATABASE_URL`` at it; tests marked ``postgres`` run only in that pass.
- The ``redis_url`` fixture starts a throw-away ``redis-server``.
- Transactional tests end with a flush that also empties Wagtail's data-migration
  rows; they are put back so that later tests find a site tree again.

Missing server binaries skip the tests that need them, except under ``CI=true``,
where a silently skipped pass would look green without having tested anything.
"""

import contextlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from glob import glob
from pathlib import Path

import pytest

RUNS_IN_POSTGRES_PASS = "läuft im PostgreSQL-Durchlauf (make test)"
NO_POSTGRES = "PostgreSQL-Binärdateien nicht gefunden"
NO_REDIS = "redis-server nicht gefunden"
POSTGRES_OS_USER = "postgres"


def in_ci():
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def free_port():
    # Another process may take the port before the server binds it; on a test
    # machine that race is rare enough to accept.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pytest_addoption(parser):
    parser.addoption(
        "--postgres",
        action="store_true",
        help="start a private PostgreSQL cluster and run the tests on it (those marked 'postgres' need this)",
    )


# PostgreSQL ---------------------------------------------------------------------


def postgres_bindir():
    def version(path):
        return [int(number) for number in re.findall(r"\d+", path)]

    for candidate in sorted(glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True):
        if os.access(os.path.join(candidate, "initdb"), os.X_OK):
            return Path(candidate)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PostgresCluster:
    """initdb + pg_ctl in a temporary directory; trust auth, loopback only, no fsync."""

    user = "sozialraum"

    def __init__(self, bindir):
        self.bindir = bindir
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="sozialraum-pg-"))
        self.datadir = self.root / "data"
        self.logfile = self.root / "postgres.log"
        self.run_as = []
        if os.geteuid() == 0:
            # initdb refuses to run as root.
            account = pwd.getpwnam(POSTGRES_OS_USER)
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self.run_as = [shutil.which("runuser") or "/usr/sbin/runuser", "-u", POSTGRES_OS_USER, "--"]

    @property
    def url(self):
        return f"postgres://{self.user}@127.0.0.1:{self.port}/{self.user}"

    def _run(self, program, *args):
        command = [*self.run_as, str(self.bindir / program), *args]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            log = self.logfile.read_text(errors="replace")[-2000:] if self.logfile.exists() else ""
            raise pytest.UsageError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}{log}")

    def start(self):
        initdb_options = ["--auth=trust", "--no-sync", "--encoding=UTF8", "--locale=C.UTF-8"]
        self._run("initdb", f"--pgdata={self.datadir}", f"--username={self.user}", *initdb_options)
        # Throw-away data: no fsync and no crash safety, for speed.
        server_options = f"-k {self.root} -h 127.0.0.1 -p {self.port} -F -c full_page_writes=off"
        self._run("pg_ctl", f"--pgdata={self.datadir}", f"--log={self.logfile}", "-o", server_options, "-w", "start")

    def stop(self):
        try:
            if (self.datadir / "postmaster.pid").exists():
                self._run("pg_ctl", f"--pgdata={self.datadir}", "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start_postgres(config):
    bindir = postgres_bindir()
    if bindir is None:
        if in_ci():
            raise pytest.UsageError(f"{NO_POSTGRES} (CI=true: the PostgreSQL pass must not be skipped)")
        return
    cluster = PostgresCluster(bindir)
    config.add_cleanup(cluster.stop)
    cluster.start()
    os.environ["DATABASE_URL"] = cluster.url


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    # A wrapper runs before pytest-django's own hook, which reads settings.DATABASES.
    # A DATABASE_URL that already names PostgreSQL is used as it is: that is how
    # pytest-xdist workers share the controller's cluster (each in its own test database).
    if early_config.known_args_namespace.postgres and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        start_postgres(early_config)
    return (yield)


def runs_on_postgres():
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_collection_modifyitems(config, items):
    if config.getoption("postgres"):
        if runs_on_postgres():
            return
        markers, reason = ("postgres", "both_databases"), NO_POSTGRES
    else:
        markers, reason = ("postgres",), RUNS_IN_POSTGRES_PASS
    for item in items:
        if any(item.get_closest_marker(marker) for marker in markers):
            item.add_marker(pytest.mark.skip(reason=reason))


# Redis --------------------------------------------------------------------------


def wait_for_pong(port, process, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"redis-server exited with status {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            if sock.recv(64).startswith(b"+PONG"):
                return
        time.sleep(0.05)
    raise RuntimeError(f"redis-server did not answer PING on port {port} within {timeout:.0f} s")


@pytest.fixture(scope="session")
def redis_url():
    binary = shutil.which("redis-server")
    if binary is None:
        if in_ci():
            pytest.fail(f"{NO_REDIS} (CI=true: Redis tests must not be skipped)", pytrace=False)
        pytest.skip(NO_REDIS)
    port = free_port()
    process = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_pong(port, process)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# Wagtail's rows after a flush ---------------------------------------------------


def recreate_wagtail_roots(sender, **kwargs):
    """Put back what Wagtail's data migrations create, where a flush removed it.

    Transactional tests end with ``flush``, which empties every table and then sends
    ``post_migrate`` so that content types and permissions come back. Wagtail creates
    its default locale, root collection, page tree and site in data migrations instead,
    which a flush does not run again; without them the next test fails with
    ``Locale.DoesNotExist``.
    """
    if sender.label != "wagtailcore":
        return
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page, Site

    locale, _created = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Page.objects.exists():
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
        home = root.add_child(instance=Page(title="Welcome to your new Wagtail site!", slug="home", locale=locale))
        if not Site.objects.exists():
            Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)


@pytest.fixture(scope="session", autouse=True)
def _wagtail_roots_survive_flush():
    from django.db.models.signals import post_migrate

    post_migrate.connect(recreate_wagtail_roots, dispatch_uid="tests.servers.recreate_wagtail_roots")
    yield
    post_migrate.disconnect(dispatch_uid="tests.servers.recreate_wagtail_roots")
