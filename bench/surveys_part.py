"""The `surveys` part of `make bench`: bench/surveys.py once on SQLite and once on a private PostgreSQL cluster.

Each run gets a fresh database (a SQLite file in the workspace; a new database in the cluster) which the
driver migrates itself. The cluster is started as the tests start theirs (tests/servers.py) and allows
300 connections: the 220 threads of the concurrency run each hold one, as 220 server threads would.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TIMEOUT_S = 1200
DATABASES = (("sqlite", "SQLite"), ("postgresql", "PostgreSQL"))
TARGET_MEDIAN_MS = 200


def _driver(out, database_url, quick, log):
    log(f"surveys.py on {database_url.split(':')[0]}")
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    with open(f"{out}.log", "w") as errors:
        done = subprocess.run(
            [sys.executable, str(BENCH / "surveys.py"), "--out", str(out), *(["--quick"] if quick else [])],
            cwd=ROOT, env=env, check=False, timeout=TIMEOUT_S, stderr=errors, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    # A missed target makes the driver exit with 1; its numbers are still written.
    if Path(out).exists():
        return json.loads(Path(out).read_text())
    log(Path(f"{out}.log").read_text()[-3000:])
    return {"pending": f"the driver stopped with exit status {done.returncode} and wrote no results"}


def run(folder, quick, log):
    folder = Path(folder)
    sqlite = _driver(folder / "surveys-sqlite.json", f"sqlite:///{folder}/surveys.sqlite3", quick, log)
    return {"sqlite": sqlite, "postgresql": postgresql(folder, quick, log)}


def postgresql(folder, quick, log):
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tests.servers import PostgresCluster, postgres_bindir

    bindir = postgres_bindir()
    if bindir is None:
        return {"pending": "PostgreSQL binaries not found (Debian package postgresql)"}
    cluster = PostgresCluster(bindir)
    log("starting a private PostgreSQL cluster (300 connections)")
    cluster.start()
    try:
        where = ["-h", "127.0.0.1", "-p", str(cluster.port), "-U", cluster.user]
        cluster._run("psql", *where, "-d", "postgres", "-c", "ALTER SYSTEM SET max_connections = 300")
        cluster._run("pg_ctl", f"--pgdata={cluster.datadir}", f"--log={cluster.logfile}", "-w", "restart")
        cluster._run("createdb", *where, "surveys")
        url = cluster.url.rsplit("/", 1)[0] + "/surveys"
        result = _driver(Path(folder) / "surveys-postgresql.json", url, quick, log)
    finally:
        cluster.stop()
    result["postgres"] = str(bindir)
    return result


def rows(data):
    """One row per measure and database; each is also a target of issue #15."""
    out = []
    for key, label in DATABASES:
        run = data.get(key, {})
        if "pending" in run or not run:
            out.append({"measure": f"Surveys on {label}", "ours": "pending: " + run.get("pending", "not run"),
                        "target": "", "met": None})  # fmt: skip
            continue
        concurrent, results = run["concurrent_answers"], run["results"]
        page, queries = results["results_page"], results["queries"]
        exactly_once = concurrent["lost"] == 0 and not concurrent["other_statuses"]
        out += [
            {
                "measure": f"Surveys on {label}: answers stored, {concurrent['respondents']} respondents at once "
                f"(+{concurrent['refused_second_answers']} repeats through an answered invitation refused)",
                "ours": f"{concurrent['responses_stored'] - 1} of {concurrent['respondents']}, "
                f"{concurrent['lost']} lost; p50 {concurrent['latency_p50_ms']} ms, all in {concurrent['wall_seconds']} s",
                "target": f"{concurrent['respondents']} of {concurrent['respondents']}, none lost",
                "met": exactly_once and concurrent["refused_second_answers"] == 20,
            },
            {
                "measure": f"Surveys on {label}: results page over {results['responses']:,} responses "
                f"({results['answer_rows']:,} answer rows): median / p90 ms",
                "ours": f"{page['median_ms']} / {page['p90_ms']} (CPU {page.get('cpu_median_ms')}); "
                f"by body {results['filtered_by_body']['median_ms']}, "
                f"by an answer {results['filtered_by_answer']['median_ms']}; XLSX export {results['xlsx_export']['median_ms']}",
                "target": f"≤ {TARGET_MEDIAN_MS} ms median",
                "met": page["median_ms"] <= TARGET_MEDIAN_MS,
            },
            {
                "measure": f"Surveys on {label}: results page queries, {queries['small_responses']} → "
                f"{results['responses']:,} responses (unfiltered / filtered)",
                "ours": f"{queries['small']} → {queries['large']} / {queries['small_filtered']} → {queries['large_filtered']}",
                "target": "constant",
                "met": queries["small"] == queries["large"] and queries["small_filtered"] == queries["large_filtered"],
            },
        ]
    return out
