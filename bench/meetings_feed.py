"""The personal calendar feed of a member of 5 bodies with 2 years of meetings: median ms and queries.

    .venv/bin/python bench/meetings_feed.py [--quick] [--out result.json]

Also run by `make bench` (part "meetings", bench/README.md). A fresh SQLite file database migrated
with production settings (DEBUG=False); the data is written straight through the models as the
services leave it: per body one fortnightly series over two years (52 dates, two of them exceptions:
one moved, one cancelled) and 26 single meetings (one a month), half of them in the past; the member
belongs to all 5 bodies and has answered every tenth meeting. The feed is fetched through its URL with
Django's test client: 5 warm-ups, then 50 timed GETs (10 with --quick); queries from one extra GET.
The feed must also stay at the same number of queries when the meetings double (checked here and in
tests/meetings/test_feed_queries.py).
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH / "drivers"))

from ours_env import environment, setup  # noqa: E402

BODIES = 5
WARMUPS = 5
TARGET_MEDIAN_MS = 50


def build(weeks_back=52, weeks_ahead=52, suffix=""):
    """Bodies, one member of all, and their meetings; returns the member's feed URL."""
    from django.utils import timezone

    from meetings import recurrence
    from meetings.models import BERLIN, CalendarFeedToken, Meeting, MeetingReply, MeetingSeries, Visibility
    from network.models import Membership, NetworkBody, User

    member = User.objects.filter(email="mitglied@example.org").first() or User.objects.create_user(
        email="mitglied@example.org", password="bench-passwort-123", approval=User.Approval.APPROVED
    )
    today = timezone.localdate()
    start_day = today - timedelta(weeks=weeks_back)
    for number in range(BODIES):
        body = NetworkBody.objects.create(name=f"Fokusgruppe {number}{suffix}", slug=f"fokusgruppe-{number}{suffix}")
        Membership.objects.create(user=member, body=body)
        first = datetime(start_day.year, start_day.month, start_day.day, 16, tzinfo=BERLIN) + timedelta(days=number)
        rule = recurrence.build_rule(recurrence.Repeat.BIWEEKLY, first, today + timedelta(weeks=weeks_ahead))
        series = MeetingSeries.objects.create(
            body=body, title=f"Jour fixe {number}", rrule=rule, first_start=first, first_end=first + timedelta(hours=2)
        )
        # Up to 60 dates per series (recurrence.MAX_OCCURRENCES); further years would be a new series.
        dates = recurrence.occurrences(rule, first)
        meetings = [
            Meeting(
                body=body,
                series=series,
                recurrence_id=moment,
                title=f"Jour fixe {number}",
                start=moment,
                end=moment + timedelta(hours=2),
                place="Rathaus Teltow",
                visibility=Visibility.MEMBERS,
                is_cancelled=index == 7,
                is_exception=index == 9,
                sequence=1 if index in (7, 9) else 0,
            )
            for index, moment in enumerate(dates)
        ]
        for month in range(-(weeks_back // 4), weeks_ahead // 4):
            moment = first + timedelta(days=30 * month + 3)
            meetings.append(
                Meeting(
                    body=body,
                    title=f"Sitzung {month}",
                    start=moment,
                    end=moment + timedelta(hours=2),
                    place="Bürgerhaus",
                    visibility=[Visibility.MEMBERS, Visibility.NETWORK, Visibility.PUBLIC][month % 3],
                )
            )
        created = Meeting.objects.bulk_create(meetings)
        MeetingReply.objects.bulk_create(
            MeetingReply(meeting=meeting, user=member, answer=MeetingReply.Answer.YES) for meeting in created[::10]
        )
    token = CalendarFeedToken.objects.get_or_create(user=member)[0].token
    return f"/sitzungen/kalender/{token}.ics", Meeting.objects.count()


def measure(client, url, rounds):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUPS):
        assert client.get(url).status_code == 200
    timings, cpu = [], []
    for _ in range(rounds):
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p90_ms": round(sorted(timings)[int(len(timings) * 0.9) - 1], 2),
        # CPU time of this process: on a shared, busy machine closer to what the feed costs than the wall clock.
        "cpu_median_ms": round(statistics.median(cpu), 2),
        "queries": len(captured.captured_queries),
        "events": response.content.count(b"BEGIN:VEVENT"),
        "bytes": len(response.content),
    }


def run(db, rounds):
    setup(db, settings="config.settings.production")
    from django.test import Client

    url, meetings = build()
    client = Client()
    result = {"meetings": meetings, **measure(client, url, rounds)}
    # The same person with twice the meetings (five more bodies): the query count must not change.
    _url, doubled = build(suffix="-b")
    result["doubled"] = {"meetings": doubled, **measure(client, url, max(5, rounds // 5))}
    result["constant_queries"] = result["doubled"]["queries"] == result["queries"]
    result["target_median_ms"] = TARGET_MEDIAN_MS
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", help="JSON result file")
    parser.add_argument("--db", help="a migrated SQLite file (bench/run.py's copy); default: a new temporary one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sozialraum-bench-meetings-") as folder:
        db = Path(args.db) if args.db else Path(folder) / "meetings.sqlite3"
        if not args.db:
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
                cwd=ROOT,
                env=environment(db, settings="config.settings.production"),
                check=True,
            )
        result = run(db, 10 if args.quick else 50)
    text = json.dumps(result, indent=2)
    if args.out:
        Path(args.out).write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
