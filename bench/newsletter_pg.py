"""The newsletter on PostgreSQL (1, 2 and 4 workers claiming with SKIP LOCKED, and a list ten times as
large), and the personalised edition against the plain one: the runs, and their rows and targets.

The cluster is private and thrown away (bench/pgcluster.py, started as the tests start theirs); the driver
gets a fresh copy of the migrated platform in it.
"""

import sys
from pathlib import Path

import pgcluster

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


def runs(quick):
    """(the usual list size, the large one) and the driver's runs: SIZExWORKERS."""
    size, large = (2000, 10000) if quick else (10000, 100000)
    return size, large, f"{size}x1,{size}x2,{size}x4,{large}x2"


def measure(workspace, quick, run_driver, log):
    cluster = pgcluster.start(log, "newsletter")
    if cluster is None:
        return {"pending": pgcluster.MISSING}
    with cluster:
        url = cluster.createdb("newsletter", pgcluster.OURS)
        _size, _large, plan = runs(quick)
        result = run_driver(
            sys.executable,
            "newsletter_ours.py",
            workspace.folder / "newsletter-pg.json",
            "--db",
            workspace.folder / "unused.sqlite3",
            "--database-url",
            url,
            "--runs",
            plan,
            # The list ten times as large takes longer than other drivers.
            timeout=900,
        )
    result["postgres"] = str(cluster.bindir)
    return result


def _rate(run):
    return f"{run['messages_per_s']} ({run['wall_s']} s, {run['steady_messages_per_s']})" + (
        "" if run["exactly_once"] else " NOT exactly once"
    )


def rows(results, target):
    """Rows and targets of the PostgreSQL runs and of the personalised edition (SQLite runs of the same part)."""
    table, targets = [], []
    data = results.get("postgres")
    if data and data.get("pending"):
        table.append({"measure": "PostgreSQL", "ours": "pending: " + data["pending"]})
    elif data:
        pg_runs = data["runs"]
        size = min(run["recipients"] for run in pg_runs)
        large = max(run["recipients"] for run in pg_runs)
        by_workers = {run["workers"]: run for run in pg_runs if run["recipients"] == size}
        for workers, run in sorted(by_workers.items()):
            table.append({"measure": f"PostgreSQL, {size:,} recipients, {workers} worker(s): msg/s (wall s, steady msg/s)",
                          "ours": _rate(run)})  # fmt: skip
        rates = " / ".join(str(by_workers[workers]["messages_per_s"]) for workers in sorted(by_workers))
        all_once = all(run["exactly_once"] for run in pg_runs)
        # The names are those of run.py's NOT_MEASURED entries, which these replace.
        targets.append(target("Newsletter on PostgreSQL, 1 / 2 / 4 workers (SKIP LOCKED)",
                              "reported; every recipient exactly once", f"{rates} msg/s at {size:,} recipients",
                              all_once, "newsletter"))  # fmt: skip
        big = next(run for run in pg_runs if run["recipients"] == large)
        base = by_workers.get(big["workers"])
        share = round(100 * big["messages_per_s"] / base["messages_per_s"], 1) if base else None
        within = None if share is None else share >= 90 and big["exactly_once"]
        table.append({"measure": f"PostgreSQL, {large:,} recipients, {big['workers']} workers: msg/s (wall s, steady msg/s)",
                      "ours": _rate(big), "target": f"within 10 % of {size:,}", "met": within,
                      "ratio": f"{share} % of {size:,}" if share is not None else None})  # fmt: skip
        targets.append(target("Newsletter 100,000 recipients on PostgreSQL: msg/s vs 10,000", "within 10 %",
                              f"{share} % ({large:,} vs {size:,})", within, "newsletter"))  # fmt: skip
        small_peak = max(run["sender_peak_rss_mb"] for run in pg_runs if run["recipients"] == size)
        peak = big["sender_peak_rss_mb"]
        flat = peak < 250 and peak <= small_peak * 1.1
        table.append({"measure": f"PostgreSQL sender peak RSS MB ({size:,} → {large:,})", "ours": f"{small_peak} → {peak}",
                      "target": "< 250 MB, flat", "met": flat})  # fmt: skip
        targets.append(target("Newsletter 100,000 recipients on PostgreSQL: sender peak RSS", "< 250 MB, flat",
                              f"{small_peak} → {peak} MB ({size:,} → {large:,})", flat, "newsletter"))  # fmt: skip
    ours_runs = results["ours"]["runs"]
    personal = next((run for run in ours_runs if run.get("personalised")), None)
    if personal:
        plain = next(
            (run for run in ours_runs if not run.get("personalised") and run["recipients"] == personal["recipients"]
             and run["workers"] == personal["workers"]),
            None,
        )  # fmt: skip
        slower = round(plain["messages_per_s"] / personal["messages_per_s"], 2) if plain else None
        met = None if slower is None else slower <= 1.5 and personal["exactly_once"]
        table.append({"measure": f"Personalised edition (a greeting with each name), {personal['recipients']:,} recipients, "
                                 f"{personal['workers']} workers: msg/s (wall s, steady msg/s)",
                      "ours": _rate(personal), "target": "≤ 1.5× the plain edition's time", "met": met,
                      "ratio": f"{slower}× the plain edition's time" if slower else None})  # fmt: skip
        targets.append(target("Newsletter personalised edition ÷ plain edition", "≤ 1.5×", slower, met,
                              "newsletter"))  # fmt: skip
    return table, targets
