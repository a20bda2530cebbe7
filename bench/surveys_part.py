"""The `surveys` part of `make bench`: bench/surveys.py once on SQLite and once on a private PostgreSQL cluster.

Each run gets a fresh copy of the migrated platform (a SQLite file from the workspace's template; a database
from the cluster's template); the driver's own migrate finds nothing to do. The cluster (bench/pgcluster.py,
started as the tests start theirs) allows 300 connections: the 220 threads of the concurrency run each hold
one, as 220 server threads would.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pgcluster

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


def run(folder, quick, log, sqlite_db):
    """`sqlite_db`: a fresh copy of the migrated platform (bench/run.py's Workspace)."""
    folder = Path(folder)
    sqlite = _driver(folder / "surveys-sqlite.json", f"sqlite:///{sqlite_db}", quick, log)
    return {"sqlite": sqlite, "postgresql": postgresql(folder, quick, log)}


def postgresql(folder, quick, log):
    cluster = pgcluster.start(log, "surveys", max_connections=300)
    if cluster is None:
        return {"pending": pgcluster.MISSING}
    with cluster:
        url = cluster.createdb("surveys", pgcluster.OURS)
        result = _driver(Path(folder) / "surveys-postgresql.json", url, quick, log)
    result["postgres"] = str(cluster.bindir)
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
