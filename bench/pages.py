"""The pages part of `make bench`: home page, a body page with its topics and meetings, the newsletter
archive and the network map, for a visitor and a logged-in member, at 10, 100 and 1,000 bodies, editions,
topics and meetings, on SQLite and on PostgreSQL (a private cluster, bench/pgcluster.py).

The driver is bench/drivers/pages_ours.py; this module runs it once per database and turns its result into
the part's table and targets. See bench/README.md ("Pages").
"""

import sys
from pathlib import Path

import pgcluster

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PAGES = ("home", "body", "archive", "map")
TITLES = {"home": "Home page", "body": "Body page (topics, meetings)", "archive": "Newsletter archive",
          "map": "Network map"}  # fmt: skip
ROLES = ("visitor", "member")
MEDIAN_MS = 25
MAX_QUERIES = 10
TARGET_NAME = "Home, body page, newsletter archive, network map (member and visitor), 10 → 1,000"


def run(workspace, quick, log, run_driver):
    results = {"sqlite": run_driver(sys.executable, "pages_ours.py", workspace.folder / "pages-sqlite.json",
                                    "--db", workspace.ours_db("pages"), *(["--quick"] if quick else []))}  # fmt: skip
    cluster = pgcluster.start(log, "pages")
    if cluster is None:
        results["postgresql"] = {"pending": pgcluster.MISSING}
        return results
    with cluster:
        url = cluster.createdb("pages", pgcluster.OURS)
        results["postgresql"] = run_driver(
            sys.executable, "pages_ours.py", workspace.folder / "pages-pg.json",
            "--db", workspace.folder / "unused.sqlite3", "--database-url", url, *(["--quick"] if quick else []),
        )  # fmt: skip
    return results


def _cell(entry):
    return (f"{entry['median_ms']} / {entry['p95_ms']} ({entry['queries']} q), CPU {entry['cpu_median_ms']}; "
            f"cold {round(entry['cold_ms'])} ({entry['cold_queries']} q)")  # fmt: skip


def rows_and_targets(data, target):
    """One row per page, role and database: the median and p95 at each size, queries and the cold request."""
    rows, targets, worst_median, all_queries, all_met = [], [], 0.0, set(), True
    for database, label in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        result = data.get(database)
        if not result or result.get("pending"):
            rows.append(
                {"measure": f"Pages on {label}", "ours": "pending: " + (result or {}).get("pending", "not run")}
            )
            all_met = None if all_met else all_met
            continue
        levels = result["levels"]
        for page in PAGES:
            for role in ROLES:
                entries = [level["pages"][page][role] for level in levels]
                queries = [entry["queries"] for entry in entries]
                median = max(entry["median_ms"] for entry in entries)
                met = median <= MEDIAN_MS and max(queries) <= MAX_QUERIES and len(set(queries)) == 1
                worst_median = max(worst_median, median)
                all_queries.update(queries)
                all_met = all_met and met
                rows.append({
                    "measure": f"{TITLES[page]}, {role}, {label}: median / p95 ms (queries), CPU median; cold",
                    "ours": " → ".join(f"{level['size']:,}: {_cell(entry)}" for level, entry in zip(levels, entries)),
                    "target": f"≤ {MEDIAN_MS} ms median, ≤ {MAX_QUERIES} queries, constant",
                    "met": met,
                })  # fmt: skip
                targets.append(target(f"Pages: {TITLES[page]}, {role}, {label}, 10 → 1,000: worst median ms (queries)",
                                      f"≤ {MEDIAN_MS} ms, ≤ {MAX_QUERIES} queries, constant",
                                      f"{median} ({'/'.join(map(str, queries))} q)", met, "pages"))  # fmt: skip
    targets.append(target(TARGET_NAME, f"≤ {MEDIAN_MS} ms median, ≤ {MAX_QUERIES} queries, both databases",
                          f"worst median {worst_median} ms, queries {sorted(all_queries)}", all_met, "pages"))  # fmt: skip
    rows.append({"measure": "What is cached: the Site and the page each URL routes to (with a body page's body) "
                            "under the pages stamp; the home page's lists under the pages stamp and the minute; a "
                            "body page's sections (meetings, minutes, documents, topics, members, phase) per reader "
                            "under the pages, map and body-sections stamps and the minute; the network map's "
                            "header, drawing, list, districts and whether any Quartier exists under the network "
                            "stamp, its connector names per viewer. View restrictions, session, user, roles and "
                            "unread notices are read on every request. Cold = right after a cache clear."})  # fmt: skip
    return rows, targets
