"""`make bench`: the platform and the alternatives a town would otherwise install, measured in one run.

    .venv/bin/python bench/run.py [--only forum|live|newsletter|meetings|meetings_feed|planning] [--quick]

Prints a table and writes bench/results/latest.md and latest.json (with --quick: *.tmp files,
which are not committed). See bench/README.md for the protocols and how to read the numbers.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DRIVERS = BENCH / "drivers"
RESULTS = BENCH / "results"
sys.path.insert(0, str(DRIVERS))

import peers  # noqa: E402
from ours_env import environment  # noqa: E402

PARTS = ("forum", "newsletter", "live", "meetings", "meetings_feed", "planning")
DRIVER_TIMEOUT_S = 420
STARTED = time.monotonic()


def log(message):
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


def run_driver(python, script, out, *arguments, cwd=ROOT, env=None):
    log(f"{script} ({Path(python).parts[-4] if '.peers' in str(python) else 'ours'})")
    subprocess.run(
        [str(python), str(DRIVERS / script), "--out", str(out), *map(str, arguments)],
        cwd=cwd,
        env=env,
        check=True,
        timeout=DRIVER_TIMEOUT_S,
    )
    return json.loads(Path(out).read_text())


class Workspace:
    """A temporary folder with one migrated database of the platform, copied for every driver."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.template = None

    def ours_db(self, name):
        if self.template is None:
            self.template = self.folder / "ours-template.sqlite3"
            log("migrating a fresh database of the platform")
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
                cwd=ROOT,
                env=environment(self.template, settings="config.settings.production"),
                check=True,
                timeout=DRIVER_TIMEOUT_S,
            )
        target = self.folder / f"{name}.sqlite3"
        shutil.copyfile(self.template, target)
        return target

    def peer_db(self, name):
        folder = self.folder / name
        folder.mkdir()
        return folder / "db.sqlite3"


FORUM_TURNS = 2
TIMED_MEASURES = ("topic_page", "reply_post")


def forum(workspace, quick):
    """Every app's protocol twice, the apps taking turns, so that a passing disturbance of the machine
    (another process, a slower CPU clock for a while) cannot fall on one app alone. Each timed
    measure counts from the app's faster run; both runs' medians stay in the JSON."""
    quick_flag = ["--quick"] if quick else []
    runs = {"ours": [], "spirit": [], "machina": []}
    for turn in range(1, FORUM_TURNS + 1):
        runs["ours"].append(
            run_driver(
                sys.executable, "forum_ours.py", workspace.folder / f"forum-ours-{turn}.json",
                "--db", workspace.ours_db(f"forum-{turn}"), *quick_flag,
            )
        )  # fmt: skip
        for name in ("spirit", "machina"):
            peer = peers.ensure(name, log)
            runs[name].append(
                run_driver(
                    peer.python,
                    f"forum_{name}.py",
                    workspace.folder / f"forum-{name}-{turn}.json",
                    "--db",
                    workspace.peer_db(f"forum-{name}-{turn}"),
                    "--project",
                    peer.project,
                    *quick_flag,
                )
            )
            runs[name][-1]["versions"] = peer.versions()
    return {name: faster_run(app_runs) for name, app_runs in runs.items()}


def faster_run(app_runs):
    """The first run, with each timed measure taken from the run where its median was lowest."""
    result = dict(app_runs[0])
    for measure in TIMED_MEASURES:
        result[measure] = min((run[measure] for run in app_runs), key=lambda entry: entry["median_ms"])
        result[f"{measure}_medians_of_runs"] = [run[measure]["median_ms"] for run in app_runs]
    return result


def newsletter(workspace, quick):
    sizes = "500,2000" if quick else "2000,10000"
    results = {
        "ours": run_driver(
            sys.executable,
            "newsletter_ours.py",
            workspace.folder / "newsletter-ours.json",
            "--db",
            workspace.ours_db("newsletter"),
            "--sizes",
            sizes,
            "--workers",
            "1,2",
        )
    }
    peer = peers.ensure("newsletter", log)
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
        sizes,
    )
    results["django-newsletter"]["versions"] = peer.versions()
    return results


def live(workspace, quick):
    import live as live_protocol

    log("live protocol")
    return live_protocol.run(workspace.ours_db("live"), workspace.folder, quick, log)


def meetings(workspace, quick):
    """Platform only: invitations of a 200-member body (bench/meetings_invitations.py, its own database)."""
    out = workspace.folder / "meetings.json"
    log("meetings_invitations.py")
    subprocess.run(
        [sys.executable, str(BENCH / "meetings_invitations.py"), "--out", str(out), "--rounds", "1" if quick else "3"],
        cwd=ROOT,
        check=True,
        timeout=DRIVER_TIMEOUT_S,
    )
    return json.loads(out.read_text())


def planning(workspace, quick):
    return run_driver(
        sys.executable, "planning_ours.py", workspace.folder / "planning-ours.json",
        "--db", workspace.ours_db("planning"), *(["--quick"] if quick else []),
    )  # fmt: skip


def meetings_feed(workspace, quick):
    """The personal calendar feed (bench/meetings_feed.py): a member of 5 bodies with 2 years of meetings."""
    log("meetings: personal calendar feed")
    subprocess.run(
        [sys.executable, str(BENCH / "meetings_feed.py"), "--db", str(workspace.ours_db("meetings")),
         "--out", str(workspace.folder / "meetings.json"), *(["--quick"] if quick else [])],
        cwd=ROOT, check=True, timeout=DRIVER_TIMEOUT_S, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return json.loads((workspace.folder / "meetings.json").read_text())


# --- Targets and the table -----------------------------------------------------------------------


def _ratio(ours, best):
    return round(ours / best, 2) if ours is not None and best else None


def forum_rows(results):
    ours, spirit, machina = results["ours"], results["spirit"], results["machina"]
    rows = []
    best_get = min(spirit["topic_page"]["median_ms"], machina["topic_page"]["median_ms"])
    growth_queries = [level["topic_page"]["queries"] for level in ours["growth"]]
    constant = len(set(growth_queries)) == 1
    get_met = (
        ours["topic_page"]["median_ms"] <= best_get / 2
        and ours["topic_page"]["queries"] <= 8
        and constant
        and max(growth_queries) <= 8
    )
    rows.append(
        {
            "measure": "Topic page GET, median / p90 ms (queries)",
            "ours": _get(ours["topic_page"]),
            "spirit": _get(spirit["topic_page"]),
            "machina": _get(machina["topic_page"]),
            "target": "≤ ½ of faster peer, ≤ 8 queries, constant 10…10,000 posts",
            "met": get_met,
            "ratio": _ratio(ours["topic_page"]["median_ms"], best_get),
        }
    )
    best_post = min(spirit["reply_post"]["median_ms"], machina["reply_post"]["median_ms"])
    rows.append(
        {
            "measure": "Reply POST, median / p90 ms (queries)",
            "ours": _get(ours["reply_post"]),
            "spirit": _get(spirit["reply_post"]),
            "machina": _get(machina["reply_post"]),
            "target": "≤ faster peer, live broadcast included",
            "met": ours["reply_post"]["median_ms"] <= best_post,
            "ratio": _ratio(ours["reply_post"]["median_ms"], best_post),
        }
    )
    for level in ours["growth"]:
        rows.append(
            {
                "measure": f"Ours at {level['posts']:,} posts: topic p.1 / last page / board list",
                "ours": " / ".join(
                    f"{level[key]['median_ms']} ms ({level[key]['queries']} q)"
                    for key in ("topic_page", "topic_last_page", "board_list")
                ),
                "target": "queries constant, ≤ 8",
                "met": level["topic_page"]["queries"] == growth_queries[0] and level["topic_page"]["queries"] <= 8,
            }
        )
    return rows


def _get(entry):
    return f"{entry['median_ms']} / {entry['p90_ms']} ({entry['queries']} q)"


def newsletter_rows(results):
    ours_runs, peer_runs = results["ours"]["runs"], results["django-newsletter"]["runs"]
    largest = max(run["recipients"] for run in ours_runs)
    smallest = min(run["recipients"] for run in ours_runs)
    rows = []
    for size in sorted({run["recipients"] for run in ours_runs}):
        peer = next((run for run in peer_runs if run["recipients"] == size), None)
        ours_at_size = [run for run in ours_runs if run["recipients"] == size]
        best = max(ours_at_size, key=lambda run: run["messages_per_s"] or 0)
        for run in ours_at_size:
            met = None
            if size == largest and run is best:
                met = (
                    (run["messages_per_s"] or 0) >= 1000
                    and peer is not None
                    and (run["messages_per_s"] or 0) >= 4 * (peer["messages_per_s"] or 0)
                    and run["exactly_once"]
                )
            rows.append(
                {
                    "measure": f"Newsletter {size:,} recipients, {run['workers']} worker(s): msg/s (wall s, steady msg/s)",
                    "ours": f"{run['messages_per_s']} ({run['wall_s']} s, {run['steady_messages_per_s']})"
                    + ("" if run["exactly_once"] else " NOT exactly once"),
                    "django-newsletter": f"{peer['messages_per_s']} ({peer['wall_s']} s, {peer['steady_messages_per_s']})"
                    + ("" if peer["exactly_once"] else " NOT exactly once")
                    if peer and run["workers"] == 1
                    else "",
                    "target": "≥ 1,000 msg/s and ≥ 4× django-newsletter at the largest list" if met is not None else "",
                    "met": met,
                    "ratio": _ratio(run["messages_per_s"], peer["messages_per_s"]) if peer else None,
                }
            )
    ours_peak = {
        size: max(run["sender_peak_rss_mb"] for run in ours_runs if run["recipients"] == size)
        for size in (smallest, largest)
    }
    peer_peak = {run["recipients"]: run["sender_peak_rss_mb"] for run in peer_runs}
    # "Not growing": within 10 % of the small list's peak, which allows for allocator noise.
    memory_met = ours_peak[largest] < 250 and ours_peak[largest] <= ours_peak[smallest] * 1.1
    rows.append(
        {
            "measure": f"Newsletter sender peak RSS MB ({smallest:,} → {largest:,})",
            "ours": f"{ours_peak[smallest]} → {ours_peak[largest]}",
            "django-newsletter": f"{peer_peak.get(smallest)} → {peer_peak.get(largest)}",
            "target": "< 250 MB, not growing with the list",
            "met": memory_met,
        }
    )
    render = results["ours"]["render"]
    rows.append(
        {
            "measure": "Edition render: MJML compile step / whole compile_edition, median ms",
            "ours": f"{render['mjml_median_ms']} / {render['compile_edition_median_ms']}",
            "target": "",
            "met": None,
        }
    )
    return rows


def live_rows(results):
    rows = []
    for config in results.get("configs", []):
        limit = config.get("target_p95_ms")
        met = None
        if limit is not None:
            met = config["p95_ms"] is not None and config["p95_ms"] < limit and config["missing"] == 0
        rows.append(
            {
                "measure": f"Live: {config['clients']} clients, {config['servers']} server(s), {config['layer']}: p50 / p95 / max ms (missing)",
                "ours": f"{config['p50_ms']} / {config['p95_ms']} / {config['max_ms']} ({config['missing']} of {config['expected']})",
                "target": f"p95 < {limit} ms, none missing" if limit else "",
                "met": met,
            }
        )
    if results.get("pending"):
        rows.append({"measure": "Live", "ours": "pending: " + results["pending"], "target": "", "met": None})
    return rows


def planning_rows(results):
    tracker, pdf = results["tracker"], results["paper_pdf"]
    constant = len(set(tracker["queries_by_years"])) == 1
    return [
        {
            "measure": f"Public tracker, {tracker['years']} years × {tracker['proposals_per_year']} proposals: median / p90 ms (queries)",
            "ours": _get(tracker)
            + f", {tracker.get('cpu_median_ms')} ms CPU; queries for 1…{tracker['years']} years: {tracker['queries_by_years']}",
            "target": "≤ 60 ms median, queries constant",
            "met": tracker["median_ms"] <= 60 and constant,
        },
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


def _cell(row, key):
    value = row.get(key)
    if key == "met":
        return "" if value is None else ("yes" if value else "**no**")
    return "" if value is None else str(value)


def table(rows):
    lines = ["| " + " | ".join(title for _key, title in COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(_cell(row, key) for key, _title in COLUMNS) + " |" for row in rows]
    return "\n".join(lines)


def rows_for(results):
    rows = []
    if "forum" in results:
        rows += forum_rows(results["forum"]["data"])
    if "live" in results:
        rows += live_rows(results["live"]["data"])
    if "newsletter" in results:
        rows += newsletter_rows(results["newsletter"]["data"])
    if "meetings" in results:
        rows += meetings_rows(results["meetings"]["data"])
    if "planning" in results:
        rows += planning_rows(results["planning"]["data"])
    if "meetings_feed" in results:
        rows += meetings_feed_rows(results["meetings_feed"]["data"])
    return rows


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


def machine():
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "peers_fingerprint": peers.fingerprint(),
    }


def markdown(results):
    parts = ", ".join(f"{part} measured {results[part]['measured_at']}" for part in PARTS if part in results)
    info = results["machine"]
    return (
        "# Benchmark results\n\n"
        f"Written by `make bench` ({parts}) on {info['platform']}, Python {info['python']}, {info['cpus']} CPUs.\n"
        "Every number of one part comes from the same run on the same machine; see bench/README.md for the protocols.\n\n"
        + table(rows_for(results))
        + "\n"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=PARTS)
    parser.add_argument("--quick", action="store_true", help="fewer rounds and smaller lists, results to *.tmp")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    suffix = ".tmp" if args.quick else ""
    json_path, md_path = RESULTS / f"latest.json{suffix}", RESULTS / f"latest.md{suffix}"
    # A partial run keeps the other parts of the previous results, each with its own date.
    results = json.loads(json_path.read_text()) if args.only and json_path.exists() else {}
    results["machine"] = machine()
    with tempfile.TemporaryDirectory(prefix="sozialraum-bench-") as folder:
        workspace = Workspace(folder)
        for part in [args.only] if args.only else PARTS:
            data = {
                "forum": forum,
                "newsletter": newsletter,
                "live": live,
                "meetings": meetings,
                "meetings_feed": meetings_feed,
                "planning": planning,
            }[part](workspace, args.quick)
            results[part] = {
                "measured_at": datetime.datetime.now().isoformat(timespec="seconds"),
                "quick": args.quick,
                "data": data,
            }
    json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    md_path.write_text(markdown(results))
    print(table(rows_for(results)))
    log(f"wrote {md_path.relative_to(ROOT)} and {json_path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
