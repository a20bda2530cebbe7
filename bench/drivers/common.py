"""Shared by every forum driver: the post texts, the timing loops and the result file.

Standard library only, because each driver runs in its own application's virtual environment.
"""

import argparse
import json
import os
import statistics
import sys
import time

WORDS = (
    "Nachbarschaft Treffpunkt Jugendzentrum Familienzentrum Beratung Stadtteil Quartier Ehrenamt "
    "Schule Kita Spielplatz Seniorentreff Sprechstunde Angebot Termin Projekt Netzwerk Austausch "
    "Sozialarbeit Elterncafe Bibliothek Sportverein Hausaufgabenhilfe Mittagstisch Fahrdienst"
).split()

WARMUPS = 5


def post_text(number):
    """About 80 words; every third text carries bold, italic, a link, inline code and a list."""
    words = [WORDS[(number * 7 + index * 3) % len(WORDS)] for index in range(70)]
    # The number makes every text unique, which duplicate guards (ours, Spirit's) require.
    text = f"Beitrag {number}: " + " ".join(words) + "."
    if number % 3 == 0:
        text += (
            "\n\nDazu **wichtig** und *nebenbei*: siehe [die Seite](https://example.org/info) "
            "und `termin-2025`.\n\n- erster Punkt\n- zweiter Punkt\n- dritter Punkt\n"
        )
    return text


def arguments():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True, help="JSON result file")
    parser.add_argument("--db", required=True, help="SQLite file for this run (its folder also holds a peer's files)")
    parser.add_argument("--database-url", help="postgres:// URL of this run's fresh database, instead of SQLite")
    parser.add_argument("--project", help="the peer's Django project folder")
    parser.add_argument("--quick", action="store_true")
    return parser.parse_args()


def peer_member_client(args):
    """For a peer: its bench project's Django set up and migrated, and a test client logged in as
    the one regular member; returns (client, timed rounds)."""
    sys.path.insert(0, args.project)
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchsite.settings"
    os.environ["BENCH_DB"] = args.db
    if args.database_url:
        os.environ["BENCH_DATABASE_URL"] = args.database_url
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user(username="mitglied", email="mitglied@example.org", password="x")
    client = Client()
    client.force_login(user)
    return client, 10 if args.quick else 50


def queries():
    """Counts the queries of one request (Django is set up by the time a driver calls it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    return CaptureQueriesContext(connection)


def write(path, result):
    with open(path, "w") as handle:
        json.dump(result, handle, indent=2)


def summary(seconds):
    ordered = sorted(seconds)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p90_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))] * 1000, 2),
        "n": len(ordered),
    }


def follow(client, response):
    """Follow redirects the way a browser would after a form POST; untimed."""
    for _hop in range(5):
        if response.status_code not in (301, 302, 303):
            break
        response = client.get(response["Location"])
    return response


def check(response, expected=(200,)):
    if response.status_code not in expected:
        raise SystemExit(f"unexpected status {response.status_code} for {response.request.get('PATH_INFO')}")
    return response


def check_first_page(client, url):
    """Page 1 must show posts 1 to 20 and nothing after, or the peers would not be compared alike."""
    content = check(client.get(url)).content.decode()
    shown = [number for number in range(1, 102) if f"Beitrag {number}:" in content]
    if shown != list(range(1, 21)):
        raise SystemExit(f"page 1 of {url} shows posts {shown[:3]}…{shown[-3:]}, expected 1…20")


def time_gets(client, url, queries, rounds):
    """Warm-ups, then `rounds` timed GETs; the query count comes from one extra request."""
    for _round in range(WARMUPS):
        check(client.get(url))
    timings = []
    for _round in range(rounds):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        check(response)
    with queries() as captured:
        check(client.get(url))
    return {**summary(timings), "queries": len(captured)}


def time_posts(client, url, data_for, queries, rounds, first_number, expected=(302, 303), **post_options):
    """Timed POSTs of new replies, each followed (untimed) by the GET of its redirect.

    An app that answers a reply with JSON instead (Misago's API: its front end inserts the post
    without loading a page) passes `expected=(200,)` and the request options of its client."""
    timings = []
    for index in range(rounds):
        data = data_for(post_text(first_number + index))
        started = time.perf_counter()
        response = client.post(url, data, **post_options)
        timings.append(time.perf_counter() - started)
        check(response, expected)
        check(follow(client, response))
    with queries() as captured:
        response = client.post(url, data_for(post_text(first_number + rounds)), **post_options)
    # Counted before the next request: Django clears its query log when a request starts.
    count = len(captured)
    check(response, expected)
    follow(client, response)
    return {**summary(timings), "queries": count}
