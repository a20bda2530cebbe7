"""`make bench`: the platform and the alternatives a town would otherwise install, measured in one run.

    .venv/bin/python bench/run.py [--only forum|live|newsletter] [--quick]

Prints a table and writes bench/results/latest.md and latest.json (with --quick: *.tmp files,
which are not committed). See bench/README.md for the protocols and how to read the numbers.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DRIVERS = BENCH / "drivers"
RESULTS = BENCH / "results"
sys.path.insert(0, str(DRIVERS))

import newsletter_pg  # noqa: E402
import pages as pages_part  # noqa: E402
import peers  # noqa: E402
import pgcluster  # noqa: E402
import search as search_protocol  # noqa: E402
import surveys_part  # noqa: E402
from ours_env import environment  # noqa: E402

PARTS = (
    "forum",
    "forum_pg",
    "search",
    "newsletter",
    "live",
    "meetings",
    "meetings_feed",
    "planning",
    "surveys",
    "pages",
)
# Run only when named: `make bench` keeps the last result of these.
OPTIONAL_PARTS = ("live_scaling",)
DRIVER_TIMEOUT_S = 420
STARTED = time.monotonic()


def log(message):
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


def run_driver(python, script, out, *arguments, cwd=ROOT, env=None, timeout=DRIVER_TIMEOUT_S):
    log(f"{script} ({Path(python).parts[-4] if '.peers' in str(python) else 'ours'})")
    subprocess.run(
        [str(python), str(DRIVERS / script), "--out", str(out), *map(str, arguments)],
        cwd=cwd,
        env=env,
        check=True,
        timeout=timeout,
    )
    return json.loads(Path(out).read_text())


class Workspace:
    """A temporary folder with one migrated database of the platform, copied for every driver."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.template = None

    def migrate_template(self):
        if self.template is None:
            template = self.folder / "ours-template.sqlite3"
            log("migrating a fresh database of the platform")
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
                cwd=ROOT,
                env=environment(template, settings="config.settings.production"),
                check=True,
                timeout=pgcluster.MIGRATE_TIMEOUT_S,
            )
            self.template = template
        return self.template

    def ours_db(self, name):
        target = self.folder / f"{name}.sqlite3"
        shutil.copyfile(self.migrate_template(), target)
        return target

    def peer_db(self, name):
        folder = self.folder / name
        folder.mkdir()
        return folder / "db.sqlite3"


# The parts that take copies of the migrated SQLite file, and of the PostgreSQL template cluster. A part missing
# here still gets its copy; its template is then made when it first asks, inside the part's time.
SQLITE_TEMPLATE_PARTS = {"forum", "search", "newsletter", "live", "live_scaling", "meetings", "meetings_feed",
                         "planning", "surveys", "pages"}  # fmt: skip
PG_TEMPLATE_PARTS = {"forum_pg", "search", "newsletter", "surveys", "pages"}


def prepare(workspace, parts):
    """The platform's two migrations the parts will copy, side by side on two cores, before any part
    starts: each is a single process (about 40 s of CPU). Returns the seconds it took."""
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=1) as pool:
        postgres = pool.submit(pgcluster.prepare, log) if PG_TEMPLATE_PARTS & set(parts) else None
        if SQLITE_TEMPLATE_PARTS & set(parts):
            workspace.migrate_template()
        if postgres:
            postgres.result()
    return round(time.monotonic() - started, 1)


FORUM_TURNS = 2
TIMED_MEASURES = ("topic_page", "reply_post")
FORUM_PEERS = ("spirit", "machina")


def forum_turns(workspace, quick, label, ours_database, peer_database, peer_names=FORUM_PEERS, peer_env=None):
    """Every app's protocol twice, the apps taking turns, so that a passing disturbance of the machine
    (another process, a slower CPU clock for a while) cannot fall on one app alone. Each timed
    measure counts from the app's faster run; both runs' medians stay in the JSON.
    `ours_database(turn)` and `peer_database(name, turn)` give each run's fresh database arguments;
    `peer_env` the environment of the peers' drivers (None: this process's)."""
    quick_flag = ["--quick"] if quick else []
    runs = {"ours": [], **{name: [] for name in peer_names}}
    for turn in range(1, FORUM_TURNS + 1):
        runs["ours"].append(
            run_driver(sys.executable, "forum_ours.py", workspace.folder / f"{label}-ours-{turn}.json",
                       *ours_database(turn), *quick_flag)
        )  # fmt: skip
        for name in peer_names:
            peer = peers.ensure(name, log)
            runs[name].append(
                run_driver(peer.python, f"forum_{name}.py", workspace.folder / f"{label}-{name}-{turn}.json",
                           *peer_database(name, turn), "--project", peer.project, *quick_flag, env=peer_env)
            )  # fmt: skip
            runs[name][-1]["versions"] = peer.versions()
    return {name: faster_run(app_runs) for name, app_runs in runs.items()}


def forum(workspace, quick):
    return forum_turns(
        workspace,
        quick,
        "forum",
        lambda turn: ["--db", workspace.ours_db(f"forum-{turn}")],
        lambda name, turn: ["--db", workspace.peer_db(f"forum-{name}-{turn}")],
    )


# Misago runs only on PostgreSQL, so it joins the forum protocol there.
FORUM_PG_PEERS = (*FORUM_PEERS, "misago")


def forum_pg(workspace, quick):
    """The forum protocol on a private PostgreSQL cluster (bench/pgcluster.py, started as the tests
    start theirs). Each app's schema is migrated once into a template database (the platform's comes
    with the cluster); every run gets a fresh copy of its app's template (createdb -T)."""
    from live import Redis

    cluster = pgcluster.start(log, "forum_pg")
    if cluster is None:
        return {"pending": pgcluster.MISSING}
    createdb = cluster.createdb
    broker = None
    try:
        # Misago's reply enqueues its notification task with Celery; the broker is a private redis-server.
        broker = Redis(workspace.folder)
        log("migrating the peers' template databases on PostgreSQL")
        peer_env = dict(os.environ, BENCH_CELERY_BROKER=broker.url)
        for name in FORUM_PG_PEERS:
            peer = peers.ensure(name, log)
            folder = workspace.folder / f"pg-template-{name}"
            folder.mkdir()
            env = dict(peer_env, BENCH_DB=str(folder / "db.sqlite3"), BENCH_DATABASE_URL=createdb(f"{name}_template"),
                       DJANGO_SETTINGS_MODULE="benchsite.settings")  # fmt: skip
            peer.manage("migrate", "--noinput", "-v0", env=env)
        result = forum_turns(
            workspace,
            quick,
            "forum-pg",
            lambda turn: [
                "--db",
                workspace.folder / "unused.sqlite3",
                "--database-url",
                createdb(f"ours_{turn}", pgcluster.OURS),
            ],  # fmt: skip
            lambda name, turn: [
                "--db",
                workspace.peer_db(f"forum-pg-{name}-{turn}"),
                "--database-url",
                createdb(f"{name}_{turn}", f"{name}_template"),
            ],  # fmt: skip
            FORUM_PG_PEERS,
            peer_env,
        )
    finally:
        if broker is not None:
            broker.stop()
        cluster.stop()
    result["postgres"] = str(cluster.bindir)
    return result


def faster_run(app_runs):
    """The first run, with each timed measure taken from the run where its median was lowest."""
    result = dict(app_runs[0])
    for measure in TIMED_MEASURES:
        result[measure] = min((run[measure] for run in app_runs), key=lambda entry: entry["median_ms"])
        result[f"{measure}_medians_of_runs"] = [run[measure]["median_ms"] for run in app_runs]
    return result


def search(workspace, quick):
    return search_protocol.run(workspace, quick, log, run_driver, peers)


def newsletter(workspace, quick):
    sizes = "500,2000" if quick else "2000,10000"
    results = {
        "ours": run_driver(
            sys.executable,
            "newsletter_ours.py",
            workspace.folder / "newsletter-ours.json",
            "--db",
            workspace.ours_db("newsletter"),
            "--runs",
            # The last run is the personalised edition, against the plain one before it.
            ",".join(f"{size}x{workers}" for size in sizes.split(",") for workers in (1, 2))
            + f",{sizes.split(',')[-1]}x2p",
        )
    }
    results["postgres"] = newsletter_pg.measure(workspace, quick, run_driver, log)
    # The limit row: the platform's own first message, pushed to the same sink by raw pipelining senders.
    results["raw"] = run_driver(
        sys.executable,
        "newsletter_raw.py",
        workspace.folder / "newsletter-raw.json",
        "--sample",
        workspace.folder / "newsletter-ours.json.sample.eml",
        "--sizes",
        sizes,
        "--workers",
        "1,2",
    )
    peer = peers.ensure("newsletter", log)
    # django-newsletter sends one message at a time at a rate that does not depend on the list (117.9 and
    # 118.6 msg/s at 2,000 and 10,000 in the run of 2026-12-04): its 10,000 took 84 s of the part's time for
    # the same number, so it sends the smaller list only and the ratios use that rate.
    results["django-newsletter"] = run_driver(
        peer.python,
        "newsletter_peer.py",
        workspace.folder / "newsletter-peer.json",
        "--db",
        workspace.peer_db("newsletter-peer"),
        "--project",
        peer.project,
        "--sink-python",
        sys.executable,
        "--sizes",
        sizes.split(",")[0],
    )
    results["django-newsletter"]["versions"] = peer.versions()
    return results


def live(workspace, quick):
    import live as live_protocol

    log("live protocol")
    return live_protocol.run(workspace.ours_db("live"), workspace.folder, quick, log)


def live_scaling(workspace, quick, readers):
    import live as live_protocol

    log("live scaling curve")
    return live_protocol.run(workspace.ours_db("live-scaling"), workspace.folder, quick, log, True, readers)


def meetings(workspace, quick):
    """Platform only: invitations of a 200-member body (bench/meetings_invitations.py, a copy of the migrated database)."""
    out = workspace.folder / "meetings.json"
    log("meetings_invitations.py")
    subprocess.run(
        [sys.executable, str(BENCH / "meetings_invitations.py"), "--out", str(out), "--rounds", "1" if quick else "3",
         "--db", str(workspace.ours_db("meetings-invitations"))],
        cwd=ROOT,
        check=True,
        timeout=DRIVER_TIMEOUT_S,
    )  # fmt: skip
    return json.loads(out.read_text())


def meetings_feed(workspace, quick):
    """The personal calendar feed (bench/meetings_feed.py): a member of 5 bodies with 2 years of meetings."""
    log("meetings: personal calendar feed")
    subprocess.run(
        [sys.executable, str(BENCH / "meetings_feed.py"), "--db", str(workspace.ours_db("meetings")),
         "--out", str(workspace.folder / "meetings.json"), *(["--quick"] if quick else [])],
        cwd=ROOT, check=True, timeout=DRIVER_TIMEOUT_S, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return json.loads((workspace.folder / "meetings.json").read_text())


def pages(workspace, quick):
    return pages_part.run(workspace, quick, log, run_driver)


def planning(workspace, quick):
    return run_driver(
        sys.executable, "planning_ours.py", workspace.folder / "planning-ours.json",
        "--db", workspace.ours_db("planning"), *(["--quick"] if quick else []),
    )  # fmt: skip


# --- Targets and the tables ----------------------------------------------------------------------
#
# Every target of issue #16 gets an entry in latest.json's `targets`, also those this run does not
# measure yet (value and met are null then), so a reader sees what is open, not only what passed.


def _ratio(ours, best):
    return round(ours / best, 2) if ours is not None and best else None


# The goal of an informational target (an honesty row such as a cold cache): the number is shown, there is
# nothing to miss. Its `met` is true once the value is measured, null while it is not, never false.
REPORTED = "reported"


def target(name, goal, value, met, part):
    if goal == REPORTED:
        met = None if value is None else True
    return {"name": name, "target": goal, "value": value, "met": None if met is None else bool(met), "part": part}


NOT_MEASURED = [
    ("forum", "Forum topic page GET on PostgreSQL ÷ faster peer (median)", "≤ 0.4×"),
    ("forum", "Forum reply POST on PostgreSQL ÷ faster peer (median)", "≤ 0.7×"),
    ("forum", "Forum topic page queries on PostgreSQL, 10 → 10,000 posts", "≤ 6, constant"),
    ("forum", "Forum topic page GET on PostgreSQL ÷ Misago", "≤ 0.4×"),
    ("newsletter", "Newsletter on PostgreSQL, 1 / 2 / 4 workers (SKIP LOCKED)", "reported; every recipient exactly once"),
    ("newsletter", "Newsletter 100,000 recipients on PostgreSQL: msg/s vs 10,000", "within 10 %"),
    ("newsletter", "Newsletter 100,000 recipients on PostgreSQL: sender peak RSS", "< 250 MB, flat"),
    ("newsletter", "Newsletter personalised edition ÷ plain edition", "≤ 1.5×"),
    ("pages", "Home, body page, newsletter archive, network map (member and visitor), 10 → 1,000", "≤ 25 ms median, ≤ 10 queries, both databases"),
]  # fmt: skip


def forum_part(results, database="SQLite"):
    if results.get("pending"):
        return [{"measure": "Forum", "ours": "pending: " + results["pending"]}], []
    ours, spirit, machina, misago = results["ours"], results["spirit"], results["machina"], results.get("misago")
    rows, targets = [], []
    peers_measured = [peer for peer in (spirit, machina, misago) if peer]
    best_get = min(peer["topic_page"]["median_ms"] for peer in peers_measured)
    growth_queries = [level["topic_page"]["queries"] for level in ours["growth"]]
    queries_met = len(set(growth_queries)) == 1 and max(growth_queries) <= 6 and ours["topic_page"]["queries"] <= 6
    get_ratio = _ratio(ours["topic_page"]["median_ms"], best_get)
    rows.append(
        {
            "measure": "Topic page GET, median / p90 ms (queries)",
            "ours": _get(ours["topic_page"]),
            "spirit": _get(spirit["topic_page"]),
            "machina": _get(machina["topic_page"]),
            "misago": _get(misago["topic_page"]) if misago else None,
            "target": "≤ 0.4× faster peer",
            "met": None if get_ratio is None else get_ratio <= 0.4,
            "ratio": get_ratio,
        }
    )
    if misago:
        misago_ratio = _ratio(ours["topic_page"]["median_ms"], misago["topic_page"]["median_ms"])
        rows[-1]["ratio_misago"] = misago_ratio
        targets.append(target(f"Forum topic page GET on {database} ÷ Misago", "≤ 0.4×", misago_ratio,
                              None if misago_ratio is None else misago_ratio <= 0.4, "forum"))  # fmt: skip
    targets.append(target(f"Forum topic page GET on {database} ÷ faster peer (median)", "≤ 0.4×", get_ratio,
                          None if get_ratio is None else get_ratio <= 0.4, "forum"))  # fmt: skip
    targets.append(target(f"Forum topic page queries on {database}, 10 → 10,000 posts", "≤ 6, constant",
                          sorted(set(growth_queries)), queries_met, "forum"))  # fmt: skip
    best_post = min(peer["reply_post"]["median_ms"] for peer in peers_measured)
    post_ratio = _ratio(ours["reply_post"]["median_ms"], best_post)
    rows.append(
        {
            "measure": "Reply POST, median / p90 ms (queries)",
            "ours": _get(ours["reply_post"]),
            "spirit": _get(spirit["reply_post"]),
            "machina": _get(machina["reply_post"]),
            "misago": _get(misago["reply_post"]) if misago else None,
            "target": "≤ 0.7× faster peer, live broadcast and task enqueue included",
            "met": None if post_ratio is None else post_ratio <= 0.7,
            "ratio": post_ratio,
        }
    )
    if misago:
        rows[-1]["ratio_misago"] = _ratio(ours["reply_post"]["median_ms"], misago["reply_post"]["median_ms"])
    targets.append(target(f"Forum reply POST on {database} ÷ faster peer (median)", "≤ 0.7×", post_ratio,
                          None if post_ratio is None else post_ratio <= 0.7, "forum"))  # fmt: skip
    rows += honesty_rows(ours, database, targets)
    for level in ours["growth"]:
        rows.append(
            {
                "measure": f"Ours at {level['posts']:,} posts: topic p.1 / last page / board list",
                "ours": " / ".join(
                    f"{level[key]['median_ms']} ms ({level[key]['queries']} q)"
                    for key in ("topic_page", "topic_last_page", "board_list")
                ),
                "target": "≤ 6 queries, constant",
                "met": level["topic_page"]["queries"] == growth_queries[0] and level["topic_page"]["queries"] <= 6,
            }
        )
    return rows, targets


def honesty_rows(ours, database, targets):
    """The topic page where the post-HTML cache does not help: right after a cache clear, right after
    an edit of every post on the page, and a page whose posts all carry files, reactions and quotes."""
    cold, rich = ours.get("cold_cache"), ours.get("rich_page")
    if not cold or not rich:
        return []
    rows = [
        {"measure": "Ours, topic page right after a cache clear (nothing cached), median / p90 ms",
         "ours": f"{cold['after_clear']['median_ms']} / {cold['after_clear']['p90_ms']}", "target": REPORTED, "met": True},
        {"measure": "Ours, topic page right after an edit of all 20 posts (their HTML not cached), median / p90 ms",
         "ours": f"{cold['after_edit']['median_ms']} / {cold['after_edit']['p90_ms']}", "target": REPORTED, "met": True},
        {"measure": "Ours, 20 posts all with a file, reactions of 3 people and a quote (post HTML cached), median / p90 ms (queries)",
         "ours": _get(rich), "target": REPORTED, "met": True},
    ]  # fmt: skip
    targets.append(target(f"Forum topic page on {database}, cold post-HTML cache: after clear / after editing every post, median ms",
                          REPORTED, [cold["after_clear"]["median_ms"], cold["after_edit"]["median_ms"]], True, "forum"))  # fmt: skip
    targets.append(target(f"Forum page of 20 posts with attachments, reactions and quotes on {database}, median ms (queries)",
                          REPORTED, [rich["median_ms"], rich["queries"]], True, "forum"))  # fmt: skip
    return rows


def _get(entry):
    return f"{entry['median_ms']} / {entry['p90_ms']} ({entry['queries']} q)"


def _median(values, digits=1):
    values = [value for value in values if value is not None]
    return round(statistics.median(values), digits) if values else None


def live_part(results, label="make bench configurations"):
    """One row per configuration; repeated configurations report the median of their p95s."""
    rows, targets = [], []
    groups = {}
    for config in results.get("configs", []):
        groups.setdefault((config["clients"], config["servers"], config["layer"]), {}).setdefault(
            config.get("app", "ours"), []
        ).append(config)
    all_missing = sum(config["missing"] for config in results.get("configs", []))
    summary = {}
    for (clients, servers, layer), apps in groups.items():
        cells = {}
        for app, runs in apps.items():
            p95s = [run["p95_ms"] for run in runs]
            summary[(app, clients, servers, layer)] = {
                "p95_ms": _median(p95s),
                # To the microsecond: rounded to 0.1 ms, 0.24 and 0.26 ms became 0.2 and 0.3, a spread of 1.5.
                "cpu_ms_per_frame": _median([run.get("cpu_ms_per_frame") for run in runs], 3),
            }
            missing = sum(run["missing"] for run in runs)
            expected = sum(run["expected"] for run in runs)
            cpu = summary[(app, clients, servers, layer)]["cpu_ms_per_frame"]
            cells[app] = (
                f"{_median([run['p50_ms'] for run in runs])} / {_median(p95s)} / {max(run['max_ms'] or 0 for run in runs)}"
                f" ({missing} of {expected} missing"
                + (
                    f"; {sum(run.get('connection_failures', 0) for run in runs)} readers never connected"
                    if any(run.get("connection_failures") for run in runs)
                    else ""
                )
                + (
                    f"; {sum(run.get('connect_retries', 0) for run in runs)} connects retried"
                    if any(run.get("connect_retries") for run in runs)
                    else ""
                )
                + (f"; p95 of {len(runs)} runs: {', '.join(str(p95) for p95 in p95s)}" if len(runs) > 1 else "")
                + (f"; {cpu} ms CPU/frame" if cpu is not None else "")
                + ")"
            )
        ours_p95 = summary.get(("ours", clients, servers, layer), {}).get("p95_ms")
        bare_p95 = summary.get(("bare", clients, servers, layer), {}).get("p95_ms")
        goal, met = "", None
        if (clients, servers, layer) == (500, 1, "in-memory"):
            goal = "p95 < 60 ms; ≤ 1.3× the bare relay"
            met = ours_p95 is not None and ours_p95 < 60 and bare_p95 and ours_p95 / bare_p95 <= 1.3
        elif (clients, servers, layer) == (2000, 4, "redis"):
            goal = "p95 < 150 ms"
            met = ours_p95 is not None and ours_p95 < 150
        elif (clients, servers, layer) == (500, 2, "redis"):
            goal = "p95 < 250 ms"
            met = ours_p95 is not None and ours_p95 < 250
        rows.append(
            {
                "measure": f"{clients} readers, {servers} Daphne process(es), {layer}: p50 / p95 / max ms",
                "ours": cells.get("ours", ""),
                "bare": cells.get("bare", ""),
                "target": goal,
                "met": met,
                "ratio": _ratio(ours_p95, bare_p95),
            }
        )
    if results.get("pending"):
        rows.append({"measure": "Live", "ours": "pending: " + results["pending"], "target": "", "met": None})
    at_500 = summary.get(("ours", 500, 1, "in-memory"), {}).get("p95_ms")
    bare_500 = summary.get(("bare", 500, 1, "in-memory"), {}).get("p95_ms")
    ratio_500 = _ratio(at_500, bare_500)
    targets.append(target("Live p95 ours ÷ bare Channels relay, 500 readers, 1 process (median of 3 runs)", "≤ 1.3×",
                          ratio_500, None if ratio_500 is None else ratio_500 <= 1.3, "live"))  # fmt: skip
    targets.append(target("Live p95 ms, 500 readers, 1 process (median of 3 runs)", "< 60 ms", at_500,
                          None if at_500 is None else at_500 < 60, "live"))  # fmt: skip
    at_2000 = summary.get(("ours", 2000, 4, "redis"), {}).get("p95_ms")
    targets.append(target("Live p95 ms, 2,000 readers, 4 processes, Redis", "< 150 ms", at_2000,
                          None if at_2000 is None else at_2000 < 150, "live"))  # fmt: skip
    redis_500 = summary.get(("ours", 500, 2, "redis"), {}).get("p95_ms")
    targets.append(target("Live p95 ms, 500 readers, 2 processes, Redis", "< 250 ms", redis_500,
                          None if redis_500 is None else redis_500 < 250, "live"))  # fmt: skip
    targets.append(target(f"Live (reader, post) pairs missing, {label}", "0", all_missing,
                          all_missing == 0 if results.get("configs") else None, "live"))  # fmt: skip
    # CPU per delivered frame as processes are added, per reader count of the scaling curve.
    spreads = []
    for clients in sorted({key[1] for key in summary if key[0] == "ours" and key[3] == "redis"}):
        cpus = [value["cpu_ms_per_frame"] for key, value in summary.items()
                if key[0] == "ours" and key[1] == clients and key[3] == "redis" and value["cpu_ms_per_frame"]]  # fmt: skip
        if len(cpus) >= 3:
            spreads.append(round(max(cpus) / min(cpus), 2))
    targets.append(target("Live CPU per delivered frame, 1 → 4 processes (max ÷ min per reader count)", "≤ 1.2",
                          max(spreads) if spreads else None, (max(spreads) <= 1.2) if spreads else None, "live"))  # fmt: skip
    return rows, targets


def newsletter_part(results):
    extra_rows, extra_targets = newsletter_pg.rows(results, target)
    rows, targets = _newsletter_sqlite_part(results)
    return rows + extra_rows, targets + extra_targets


def _newsletter_sqlite_part(results):
    ours_runs = [run for run in results["ours"]["runs"] if not run.get("personalised")]
    peer_runs = results["django-newsletter"]["runs"]
    raw_runs = results.get("raw", {}).get("runs", [])
    largest = max(run["recipients"] for run in ours_runs)
    smallest = min(run["recipients"] for run in ours_runs)
    rows, targets = [], []
    headline = None
    # The peer's rate at the largest list it sent stands for larger lists (it is flat in the list's size).
    peer_sizes = sorted(run["recipients"] for run in peer_runs)
    for size in sorted({run["recipients"] for run in ours_runs}):
        peer_size = max((known for known in peer_sizes if known <= size), default=None)
        peer = next((run for run in peer_runs if run["recipients"] == peer_size), None)
        for run in [run for run in ours_runs if run["recipients"] == size]:
            raw = next((r for r in raw_runs if r["recipients"] == size and r["workers"] == run["workers"]), None)
            rate, peer_rate = run["messages_per_s"] or 0, (peer or {}).get("messages_per_s") or 0
            raw_rate = (raw or {}).get("messages_per_s") or 0
            met, goal = None, ""
            if size == largest and run["workers"] == 2:
                headline = (run, raw, peer)
                goal = "≥ 2,000 msg/s, ≥ 60 % of the raw sender, ≥ 8× django-newsletter"
                met = rate >= 2000 and raw_rate and rate >= 0.6 * raw_rate and peer_rate and rate >= 8 * peer_rate
                met = bool(met) and run["exactly_once"]
            rows.append(
                {
                    "measure": f"{size:,} recipients, {run['workers']} worker(s): msg/s (wall s, steady msg/s)",
                    "ours": _rate(run),
                    "raw": _rate(raw) if raw else "",
                    "django-newsletter": (_rate(peer) + ("" if peer_size == size else f" (at {peer_size:,})"))
                    if peer and run["workers"] == 1
                    else "",
                    "target": goal,
                    "met": met,
                    "ratio": f"{round(100 * rate / raw_rate)} %" if raw_rate else None,
                    "ratio_peer": _ratio(rate, peer_rate) if peer_rate else None,
                }
            )
    run, raw, peer = headline or (None, None, None)
    rate = run["messages_per_s"] if run else None
    raw_rate = raw["messages_per_s"] if raw else None
    peer_rate = peer["messages_per_s"] if peer else None
    share = round(100 * rate / raw_rate, 1) if rate and raw_rate else None
    peer_ratio = _ratio(rate, peer_rate)
    targets.append(target(f"Newsletter msg/s, {largest:,} recipients, 2 workers", "≥ 2,000", rate,
                          None if rate is None else rate >= 2000, "newsletter"))  # fmt: skip
    targets.append(target(f"Newsletter ours ÷ raw pipelining sender, {largest:,} recipients, 2 workers (%)", "≥ 60 %",
                          share, None if share is None else share >= 60, "newsletter"))  # fmt: skip
    targets.append(target(f"Newsletter ours ÷ django-newsletter, {largest:,} recipients", "≥ 8×", peer_ratio,
                          None if peer_ratio is None else peer_ratio >= 8, "newsletter"))  # fmt: skip
    targets.append(target("Newsletter every recipient exactly one message (every run)", "yes",
                          all(run["exactly_once"] for run in ours_runs), all(run["exactly_once"] for run in ours_runs),
                          "newsletter"))  # fmt: skip
    ours_peak = {
        size: max(run["sender_peak_rss_mb"] for run in ours_runs if run["recipients"] == size)
        for size in (smallest, largest)
    }
    peer_peak = {run["recipients"]: run["sender_peak_rss_mb"] for run in peer_runs}
    # "Not growing": within 10 % of the small list's peak, which allows for allocator noise.
    memory_met = ours_peak[largest] < 250 and ours_peak[largest] <= ours_peak[smallest] * 1.1
    rows.append(
        {
            "measure": f"Sender peak RSS MB ({smallest:,} → {largest:,})",
            "ours": f"{ours_peak[smallest]} → {ours_peak[largest]}",
            "raw": " → ".join(
                str(max((r["sender_peak_rss_mb"] for r in raw_runs if r["recipients"] == size), default=None))
                for size in (smallest, largest)
            ) if raw_runs else "",
            "django-newsletter": " → ".join(f"{peak} ({size:,})" for size, peak in sorted(peer_peak.items())),
            "target": "< 250 MB, not growing with the list",
            "met": memory_met,
        }
    )  # fmt: skip
    targets.append(target(f"Newsletter sender peak RSS MB on SQLite, {smallest:,} → {largest:,}", "< 250 MB, flat",
                          ours_peak[largest], memory_met, "newsletter"))  # fmt: skip
    sinks = sorted({run.get("sink") or "aiosmtpd" for run in ours_runs + raw_runs + peer_runs})
    rows.append(
        {
            "measure": "SMTP sink of every row",
            "ours": ", ".join(sinks) + (
                "" if sinks == ["postfix smtp-sink"] else
                " — Postfix's smtp-sink was not found (Debian package postfix): the single-process aiosmtpd"
                " sink takes about 1,450 msg/s here and is then the limit of the fast rows"
            ),
        }
    )  # fmt: skip
    render = results["ours"]["render"]
    rows.append(
        {
            "measure": "Edition render: MJML compile step / whole compile_edition, median ms",
            "ours": f"{render['mjml_median_ms']} / {render['compile_edition_median_ms']}",
        }
    )
    return rows, targets


def _rate(run):
    return f"{run['messages_per_s']} ({run['wall_s']} s, {run['steady_messages_per_s']})" + (
        "" if run["exactly_once"] else " NOT exactly once"
    )


def meetings_rows(results):
    best = results["best"]
    return [
        {
            "measure": f"Meeting invitations, {results['members']} members, batches of {results['batch_size']}: "
            "SMTP connections, wall s (ms per mail)",
            "ours": f"{best['connections']}, {best['wall_s']} s ({best['ms_per_mail']} ms)"
            + ("" if best["exactly_once"] else " NOT exactly once"),
            "target": "one connection per batch, everyone exactly once",
            "met": best["connections"] == results["expected_connections"] and best["exactly_once"],
        }
    ]


def planning_rows(results):
    tracker, pdf = results["tracker"], results["paper_pdf"]
    constant = len(set(tracker["queries_by_years"])) == 1
    return [
        {
            "measure": f"Public tracker, {tracker['years']} years × {tracker['proposals_per_year']} proposals, each year's section cached as HTML (key: everything it shows): median / p90 ms (queries)",
            "ours": _get(tracker)
            + f", {tracker.get('cpu_median_ms')} ms CPU; queries for 1…{tracker['years']} years: {tracker['queries_by_years']}",
            "target": "≤ 60 ms median, queries constant",
            "met": tracker["median_ms"] <= 60 and constant,
        },
        *(
            {
                "measure": f"Public tracker, {what}: median / p90 ms (queries)",
                "ours": _get(entry) + f", {entry['cpu_median_ms']} ms CPU",
                "target": REPORTED,
                "met": True,
            }
            for what, entry in (
                (
                    "cold: whole cache emptied before each GET (every section rendered, navigation too)",
                    results.get("tracker_cold_cache"),
                ),
                (
                    "after an edit: one proposal renamed before each GET (one section rendered)",
                    results.get("tracker_one_year_changed"),
                ),
            )
            if entry
        ),
        {
            "measure": f"Planungspapier PDF, {pdf['proposals']} proposals ({pdf['pages']} pages): median / p90 ms (CPU)",
            "ours": f"{pdf['median_ms']} / {pdf['p90_ms']} ({pdf['cpu_median_ms']} ms CPU)",
            "target": "≤ 5,000 ms",
            "met": pdf["median_ms"] <= 5000,
        },
    ]


def meetings_feed_rows(results):
    doubled = results["doubled"]
    return [
        {
            "measure": f"Meetings: personal calendar feed, 5 bodies, {results['meetings']} meetings over 2 years: median ms (p90)",
            "ours": f"{results['median_ms']} ({results['p90_ms']}); CPU {results.get('cpu_median_ms')}",
            "target": f"≤ {results['target_median_ms']} ms",
            "met": results["median_ms"] <= results["target_median_ms"],
        },
        {
            "measure": f"Meetings: queries of that feed, and with {doubled['meetings']} meetings",
            "ours": f"{results['queries']} / {doubled['queries']}",
            "target": "constant",
            "met": results["constant_queries"],
        },
    ]


COLUMNS = [("measure", "Measure"), ("ours", "Ours"), ("spirit", "Spirit"), ("machina", "machina"),
           ("django-newsletter", "django-newsletter"), ("target", "Target"), ("met", "Met"), ("ratio", "Ours ÷ best peer")]  # fmt: skip


def platform_part(rows_of, part):
    """A part only the platform runs (no peer): its rows, each also a target."""

    def build(data):
        rows = rows_of(data)
        return rows, [target(row["measure"], row["target"], row["ours"], row["met"], part) for row in rows]

    return build


PARTS_TABLES = {
    "forum": (
        "Forum (SQLite)",
        forum_part,
        [("measure", "Measure"), ("ours", "Ours"), ("spirit", "Spirit"), ("machina", "machina"),
         ("target", "Target"), ("met", "Met"), ("ratio", "Ours ÷ faster peer")],
    ),
    "forum_pg": (
        "Forum (PostgreSQL 15, private cluster)",
        lambda data: forum_part(data, "PostgreSQL"),
        [("measure", "Measure"), ("ours", "Ours"), ("spirit", "Spirit"), ("machina", "machina"), ("misago", "Misago"),
         ("target", "Target"), ("met", "Met"), ("ratio", "Ours ÷ fastest peer"),
         ("ratio_misago", "Ours ÷ Misago")],
    ),
    "search": (
        "Forum search (100,000 posts of demo German; SQLite FTS5 and PostgreSQL 15 `german`; Spirit: haystack + Whoosh)",
        lambda data: search_protocol.part(data, target),
        [("measure", "Measure"), ("ours", "Ours"), ("spirit", "Spirit"), ("target", "Target"), ("met", "Met")],
    ),
    "live": (
        "Live layer (Daphne, WebSocket readers of one topic, 20 posts per configuration; 5 with --quick)",
        live_part,
        [("measure", "Measure"), ("ours", "Ours"), ("bare", "Bare Channels relay (limit)"),
         ("target", "Target"), ("met", "Met"), ("ratio", "Ours ÷ limit (p95)")],
    ),
    "live_scaling": (
        "Live scaling curve (channels-redis, readers split over the Daphne processes; only with --only live_scaling)",
        lambda data: live_part(data, "scaling curve"),
        [("measure", "Measure"), ("ours", "Ours"), ("target", "Target"), ("met", "Met")],
    ),
    "newsletter": (
        "Newsletter (SQLite; PostgreSQL 15 private cluster for its rows; counting SMTP sink that offers PIPELINING)",
        newsletter_part,
        [("measure", "Measure"), ("ours", "Ours"), ("raw", "Raw pipelining sender (limit)"),
         ("django-newsletter", "django-newsletter"), ("target", "Target"), ("met", "Met"),
         ("ratio", "Ours ÷ limit"), ("ratio_peer", "Ours ÷ django-newsletter")],
    ),
    "meetings": ("Meeting invitations (platform only)", platform_part(meetings_rows, "meetings"), [("measure", "Measure"), ("ours", "Ours"), ("target", "Target"), ("met", "Met")]),
    "meetings_feed": ("Personal calendar feed (platform only)", platform_part(meetings_feed_rows, "meetings"), [("measure", "Measure"), ("ours", "Ours"), ("target", "Target"), ("met", "Met")]),
    "planning": ("Planning: tracker and Planungspapier (platform only)", platform_part(planning_rows, "planning"), [("measure", "Measure"), ("ours", "Ours"), ("target", "Target"), ("met", "Met")]),
    "surveys": ("Surveys: concurrent answers and the results page, SQLite and PostgreSQL (platform only)", platform_part(surveys_part.rows, "surveys"), [("measure", "Measure"), ("ours", "Ours"), ("target", "Target"), ("met", "Met")]),
    "pages": ("Pages: home, body page, newsletter archive, network map (platform only; SQLite and PostgreSQL)", lambda data: pages_part.rows_and_targets(data, target), [("measure", "Measure"), ("ours", "Ours: 10 → 100 → 1,000"), ("target", "Target"), ("met", "Met")]),
}  # fmt: skip


def _cell(row, key):
    value = row.get(key)
    if key == "met":
        if row.get("target") == REPORTED:
            return "reported" if value else ""
        return "" if value is None else ("yes" if value else "**no**")
    return "" if value is None else str(value)


def table(rows, columns):
    lines = ["| " + " | ".join(title for _key, title in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(row, key) for key, _title in columns) + " |" for row in rows]
    return "\n".join(lines)


def evaluate(results):
    """(sections of the Markdown, the `targets` list) for whatever parts `results` holds."""
    sections, targets = [], []
    for part, (title, build, columns) in PARTS_TABLES.items():
        if part not in results:
            continue
        rows, part_targets = build(results[part]["data"])
        targets += part_targets
        info = results[part]
        load = info.get("load_at_start")
        when = (
            f"measured {info['measured_at']}"
            + (f", took {_seconds(info['duration_s'])} s" if "duration_s" in info else "")
            + (f", load average at start {load}" if load else "")
        )
        sections.append(
            f"## {title}\n\n{when}{' (quick run)' if info.get('quick') else ''}\n\n{table(rows, columns)}\n"
        )
    # A target reported by two parts (the live part and the scaling curve) counts where it was measured.
    merged = {}
    for entry in targets:
        if entry["name"] not in merged or merged[entry["name"]]["value"] is None:
            merged[entry["name"]] = entry
    targets = list(merged.values())
    measured = {entry["name"] for entry in targets}
    targets += [target(name, goal, None, None, part) for part, name, goal in NOT_MEASURED if name not in measured]
    full_run = last_full_run(results)
    if full_run:
        total = full_run["total_s"]
        targets.append(target("make bench wall time, s", "≤ 1,200 s on 2 cores", total, total <= BUDGET_S, "all"))
    return sections, targets


def targets_table(targets):
    rows = [
        {
            "measure": entry["name"],
            "target": entry["target"],
            "value": "not measured yet" if entry["value"] is None else entry["value"],
            "met": entry["met"],
        }
        for entry in targets
    ]
    return table(rows, [("measure", "Target of issue #16"), ("target", "Target"), ("value", "Value"), ("met", "Met")])


def machine():
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
        "started_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "peers_fingerprint": peers.fingerprint(),
    }


def markdown(results, sections, targets):
    info = results["machine"]
    load = " / ".join(str(value) for value in info.get("load_average_at_start", []))
    return (
        "# Benchmark results\n\n"
        f"Written by `make bench` on {info['started_at']} on {info['platform']}, Python {info['python']}, "
        f"{info['cpus']} CPUs, load average at start (1 / 5 / 15 min) {load}.\n"
        "Every number of one part comes from the same run on the same machine; see bench/README.md for the protocols.\n"
        "A load average above the CPU count means other processes shared the cores: the numbers are pessimistic.\n\n"
        + durations_table(results)
        + "## Targets\n\n" + targets_table(targets) + "\n\n" + "\n".join(sections)
    )  # fmt: skip


BUDGET_S = 1200


def last_full_run(results):
    """The machine record of the last whole `make bench` (this run's, or the one a later `--only` run kept)."""
    machine = results["machine"]
    if "total_s" in machine and not machine.get("partial"):
        return machine
    return results.get("full_run")


def _seconds(value):
    return f"{value:,.0f}" if value is not None else ""


def durations_table(results):
    """How long each part took in its own run, against the 20-minute budget of `make bench`; and this run's
    shared setup (the migrated SQLite file and PostgreSQL template the parts copy), which no part's time holds."""
    machine = results["machine"]
    rows = []
    if "setup_s" in machine:
        rows.append({"part": "shared setup: the platform migrated for SQLite and PostgreSQL (this run)",
                     "duration": _seconds(machine["setup_s"]),
                     "share": f"{round(100 * machine['setup_s'] / BUDGET_S)} %", "when": machine["started_at"]})  # fmt: skip
    for part in (*PARTS, *OPTIONAL_PARTS):
        info = results.get(part)
        if not info:
            continue
        duration = info.get("duration_s")
        rows.append(
            {
                "part": part,
                "duration": _seconds(duration) if duration is not None else "not recorded",
                "share": f"{round(100 * duration / BUDGET_S)} %" if duration is not None else "",
                "when": info["measured_at"] + (" (quick)" if info.get("quick") else ""),
            }
        )
    full_run = last_full_run(results)
    if full_run:
        rows.append({"part": "**make bench, total** (the last whole run)", "duration": _seconds(full_run["total_s"]),
                     "share": f"{round(100 * full_run['total_s'] / BUDGET_S)} %", "when": full_run["started_at"]})  # fmt: skip
    columns = [("part", "Part"), ("duration", "Duration s"), ("share", f"Share of the {BUDGET_S:,} s budget"),
               ("when", "Measured")]  # fmt: skip
    return (
        "## Durations\n\n"
        "Each part's own wall time (`duration_s` in latest.json), so the 20-minute budget can be checked per part; "
        "the shared setup before the first part (`machine.setup_s`) migrates the platform once for all of them.\n\n"
        + table(rows, columns)
        + "\n\n"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=PARTS + OPTIONAL_PARTS)
    parser.add_argument("--quick", action="store_true", help="fewer rounds and smaller lists, results to *.tmp")
    parser.add_argument("--readers", default="500,1000,2000,4000",
                        help="live_scaling: reader counts of the curve (each over 1, 2 and 4 processes)")  # fmt: skip
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    suffix = ".tmp" if args.quick else ""
    json_path, md_path = RESULTS / f"latest.json{suffix}", RESULTS / f"latest.md{suffix}"
    # A partial run keeps the other parts of the previous results, each with its own date; a full run
    # keeps only the parts it does not run by itself.
    results = json.loads(json_path.read_text()) if json_path.exists() else {}
    if not args.only:
        results = {part: results[part] for part in OPTIONAL_PARTS if part in results}
    elif "machine" in results:
        # The budget target belongs to a whole run: an `--only` run keeps the last one's time.
        full_run = last_full_run(results)
        results.pop("full_run", None)
        if full_run:
            results["full_run"] = {key: value for key, value in full_run.items() if key != "full_run"}
    results["machine"] = machine()
    with tempfile.TemporaryDirectory(prefix="sozialraum-bench-") as folder:
        workspace = Workspace(folder)
        results["machine"]["setup_s"] = prepare(workspace, [args.only] if args.only else PARTS)
        for part in [args.only] if args.only else PARTS:
            load = [round(value, 2) for value in os.getloadavg()]
            started = time.monotonic()
            if part == "live_scaling":
                data = live_scaling(workspace, args.quick, [int(count) for count in args.readers.split(",")])
            else:
                parts = {"forum": forum, "forum_pg": forum_pg, "search": search, "newsletter": newsletter, "live": live, "meetings": meetings,
                         "meetings_feed": meetings_feed, "planning": planning,
                         "surveys": lambda workspace, quick: surveys_part.run(workspace.folder, quick, log, workspace.ours_db("surveys")),
                         "pages": pages}  # fmt: skip
                data = parts[part](workspace, args.quick)
            results[part] = {
                "measured_at": datetime.datetime.now().isoformat(timespec="seconds"),
                "load_at_start": load,
                "quick": args.quick,
                "duration_s": round(time.monotonic() - started, 1),
                "data": data,
            }
            # Written after every part, so that a part that fails later does not take the others with it.
            targets = write_results(results, json_path, md_path, partial=True)
    results["machine"]["total_s"] = round(time.monotonic() - STARTED)
    targets = write_results(results, json_path, md_path, partial=bool(args.only or args.quick))
    print(targets_table(targets))
    log(f"wrote {md_path.relative_to(ROOT)} and {json_path.relative_to(ROOT)}")


def write_results(results, json_path, md_path, partial):
    results["machine"]["partial"] = partial
    sections, targets = evaluate(results)
    results["targets"] = targets
    json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    md_path.write_text(markdown(results, sections, targets))
    return targets


if __name__ == "__main__":
    main()
