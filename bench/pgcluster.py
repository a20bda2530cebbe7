"""The private PostgreSQL cluster of a bench part, started as the tests start theirs (tests/servers.py: initdb,
trust auth on loopback, no fsync, `runuser postgres` when run as root).

Every part that measures on PostgreSQL gets a cluster of its own, so that no part sees another's databases, caches
or settings. Migrating the platform costs about 40 s of CPU, so it happens once per `make bench`: `prepare()`
(bench/run.py calls it before the parts; otherwise the first `start()`) migrates the platform into the
database `ours_template` of a fresh cluster and stops it cleanly; every part's cluster starts from a copy of
that data directory (`cp -a`, about a second) instead of initdb. A part takes its fresh database of the platform with `cluster.createdb(name, OURS)` (createdb -T), the
same schema and data migrations as `manage.py migrate` under the production settings gives.

    cluster = pgcluster.start(log, "pages")
    if cluster is None:
        return {"pending": pgcluster.MISSING}
    with cluster:
        url = cluster.createdb("pages", pgcluster.OURS)
        ...
"""

import atexit
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DRIVERS = BENCH / "drivers"
for _path in (str(ROOT), str(DRIVERS)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from ours_env import environment  # noqa: E402

from tests.servers import PostgresCluster, postgres_bindir  # noqa: E402

MISSING = "PostgreSQL binaries not found (Debian package postgresql)"
OURS = "ours_template"
# Generous: the whole run waits for these migrations, and with other processes on the 2 cores one took over 420 s.
MIGRATE_TIMEOUT_S = 900
# tests/servers.py's server options: throw-away data, no fsync, no crash safety.
SERVER_OPTIONS = "-F -c full_page_writes=off"

# The stopped data directory holding the migrated OURS, kept for the rest of this process.
_migrated = None


class Cluster:
    """A started cluster; `with cluster:` (or `stop()`) stops it and removes its files."""

    def __init__(self, bindir, log, max_connections=None):
        self.bindir = bindir
        self.server = PostgresCluster(bindir)
        self.log = log
        self.max_connections = max_connections

    @property
    def port(self):
        return self.server.port

    @property
    def base(self):
        """The URL without a database name."""
        return self.server.url.rsplit("/", 1)[0]

    def start(self):
        source = migrated_datadir(self.bindir, self.log)
        try:
            subprocess.run([*self.server.run_as, "cp", "-a", str(source), str(self.server.datadir)], check=True)
            options = f"-k {self.server.root} -h 127.0.0.1 -p {self.port} {SERVER_OPTIONS}"
            if self.max_connections:
                options += f" -c max_connections={self.max_connections}"
            self.server._run("pg_ctl", f"--pgdata={self.server.datadir}", f"--log={self.server.logfile}",
                             "-o", options, "-w", "start")  # fmt: skip
        except BaseException:
            self.server.stop()
            raise
        return self

    def createdb(self, name, template=None):
        """A new database, empty or a copy of `template`; its URL."""
        self.server._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.server.user,
                         *(["-T", template] if template else []), name)  # fmt: skip
        return f"{self.base}/{name}"

    def migrate(self, url, timeout=MIGRATE_TIMEOUT_S):
        """The platform's migrations into `url`, under the production settings."""
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=environment(url, settings="config.settings.production"),
            check=True,
            timeout=timeout,
        )

    def stop(self):
        self.server.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()


def start(log, purpose, max_connections=None):
    """A started cluster for `purpose` (a word for the log), or None without the PostgreSQL binaries."""
    bindir = postgres_bindir()
    if bindir is None:
        return None
    log(f"{purpose}: starting a private PostgreSQL cluster"
        + (f" ({max_connections} connections)" if max_connections else ""))  # fmt: skip
    return Cluster(bindir, log, max_connections).start()


def migrated_datadir(bindir, log):
    """The data directory of a stopped cluster whose database OURS holds the migrated platform; made on first use."""
    global _migrated
    if _migrated is None:
        preparing = Cluster(bindir, log)
        log("migrating the platform once into a PostgreSQL template cluster (every part's cluster copies it)")
        preparing.server.start()
        try:
            preparing.migrate(preparing.createdb(OURS))
            # A clean shutdown, so that the copies start without crash recovery.
            preparing.server._run("pg_ctl", f"--pgdata={preparing.server.datadir}", "-m", "fast", "-w", "stop")
        except BaseException:
            preparing.stop()
            raise
        atexit.register(shutil.rmtree, preparing.server.root, ignore_errors=True)
        _migrated = preparing.server.datadir
    return _migrated


def prepare(log):
    """The migrated template cluster made now (bench/run.py does it beside the SQLite migration, before the
    parts); nothing without the PostgreSQL binaries."""
    bindir = postgres_bindir()
    if bindir is not None:
        migrated_datadir(bindir, log)
