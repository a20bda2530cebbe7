"""Surveys under load (bench/README.md, "Surveys"): no answer lost under 200 concurrent respondents, and the
results page over 10,000 answers.

A fresh database (a SQLite file in a temporary folder, or the PostgreSQL database named by
DATABASE_URL) is migrated; then

1. 200 invited people send their answers at the same moment, each from its own thread through the
   answer view (Django's test client, the real URL, session and form), and 20 more threads send a
   second answer through one invitation that already answered: every answer must be stored exactly once,
   and the second answers refused;
2. 10,000 responses (seeded random answers to 8 questions of every kind) are inserted in bulk and the
   coordination's results page is fetched: 5 warm-ups, then 30 timed GETs (median, p90), plus the
   page filtered by body and by an answer, and the XLSX export.

    .venv/bin/python bench/surveys.py [--respondents 200] [--answers 10000] [--quick] [--out FILE]
    DATABASE_URL=postgres://… .venv/bin/python bench/surveys.py --out bench/results/surveys-postgresql.json

`make bench` runs it on both databases (bench/surveys_part.py: the `surveys` part of bench/run.py).
"""

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FOLDER = tempfile.mkdtemp(prefix="sozialraum-surveys-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{FOLDER}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from datetime import timedelta  # noqa: E402

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Page, Site  # noqa: E402

from cms.models import HomePage  # noqa: E402
from network.access import COORDINATION_GROUP  # noqa: E402
from network.models import NetworkBody, User  # noqa: E402
from surveys import tokens  # noqa: E402
from surveys.models import Answer, Participant, Response, SurveyIndexPage, SurveyPage  # noqa: E402
from surveys.questions import OTHER, all_questions  # noqa: E402

QUESTIONS = [
    (
        "single_choice",
        {
            "question": "Art der Einrichtung",
            "options": ["Kita", "Schule", "Beratung"],
            "allow_other": True,
            "required": True,
        },
    ),
    (
        "multiple_choice",
        {
            "question": "Fehlende Angebote",
            "options": ["Sprachförderung", "Elterncafé", "Ferienbetreuung", "Hausaufgabenhilfe"],
        },
    ),
    (
        "scale",
        {"question": "Zusammenarbeit im Netzwerk", "low_label": "schlecht", "high_label": "sehr gut", "required": True},
    ),
    ("number", {"question": "Betreute Kinder", "min_value": 0, "max_value": 500}),
    ("matrix", {"question": "Dringlichkeit", "items": ["Personal", "Räume", "Fortbildung", "Material"]}),
    ("short_text", {"question": "Wichtigstes Anliegen"}),
    ("long_text", {"question": "Sonstige Hinweise"}),
    ("single_choice", {"question": "Quartier", "options": ["Seehof", "Mitte", "Ruhlsdorf", "Sigridshorst"]}),
]


def log(text):
    print(text, file=sys.stderr, flush=True)


def build():
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Sozialraumnetzwerk Teltow", slug="start"))
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    index = home.add_child(instance=SurveyIndexPage(title="Umfragen", slug="umfragen"))
    coordinator = User.objects.create_user(
        email="koordination@example.org", password="x" * 12, approval=User.Approval.APPROVED
    )
    coordinator.groups.add(Group.objects.get_or_create(name=COORDINATION_GROUP)[0])
    # The coordination must use a second factor; without one every page would send it to the set-up.
    TOTP.activate(coordinator, generate_totp_secret())
    bodies = [NetworkBody.objects.create(name=f"FG {n}", slug=f"fg-{n}") for n in ("Kita", "Schule", "Prävention")]
    now = timezone.now()

    def survey(slug):
        page = index.add_child(
            instance=SurveyPage(
                title=f"Bedarfsabfrage {slug}",
                slug=slug,
                audience=SurveyPage.Audience.INVITED,
                opens_at=now - timedelta(days=1),
                closes_at=now + timedelta(days=14),
                questions=QUESTIONS,
                owner=coordinator,
            )
        )
        page.bodies.set(bodies)
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    return survey("gleichzeitig"), survey("auswertung"), coordinator, bodies


def random_answers(questions, rng):
    single, multiple, scale, number, matrix, short, long, quarter = questions
    answers = {
        single.id: {"choice": rng.choice([*single.options, OTHER]), "other": "Jugendclub"},
        scale.id: rng.randint(1, 5),
        quarter.id: {"choice": rng.choice(quarter.options), "other": ""},
    }
    if answers[single.id]["choice"] != OTHER:
        answers[single.id]["other"] = ""
    if rng.random() < 0.8:
        answers[multiple.id] = {
            "choices": sorted(rng.sample(multiple.options, rng.randint(1, 3)), key=multiple.options.index),
            "other": "",
        }
    if rng.random() < 0.7:
        answers[number.id] = rng.randint(0, 120)
    if rng.random() < 0.9:
        answers[matrix.id] = {str(i): rng.randint(1, 5) for i in range(len(matrix.items))}
    if rng.random() < 0.3:
        answers[short.id] = "Mehr Personal in der Sprachförderung"
    if rng.random() < 0.1:
        answers[long.id] = "Die Räume im Quartier reichen für die Nachfrage nicht aus."
    return answers


def form_data(questions, answers):
    data = {"page": "0", "action": "submit"}
    for q in questions:
        value = answers.get(q.id)
        if value is None:
            continue
        if q.kind == "single_choice":
            data[f"q-{q.id}"] = value["choice"]
            data[f"q-{q.id}-other"] = value["other"]
        elif q.kind == "multiple_choice":
            data[f"q-{q.id}"] = value["choices"]
        elif q.kind == "matrix":
            data.update({f"q-{q.id}-{i}": str(n) for i, n in value.items()})
        else:
            data[f"q-{q.id}"] = str(value)
    return data


def concurrent_answers(survey, respondents, bodies):
    questions = all_questions(survey.sections())
    rng = random.Random(200)
    participants = [
        Participant.objects.create(
            survey=survey,
            email=f"p{n}@example.org",
            body=bodies[n % 3],
            nonce=tokens.new_nonce(),
            invited_at=timezone.now(),
        )
        for n in range(respondents + 1)
    ]
    jobs = [
        (tokens.make_token(p), form_data(questions, random_answers(questions, rng))) for p in participants[:respondents]
    ]
    twice = participants[-1]
    twice_token = tokens.make_token(twice)
    twice_data = form_data(questions, random_answers(questions, rng))
    # One answer through the doubly used invitation first; then 20 threads try again at the same moment as the others.
    assert Client().post(f"/umfragen/einladung/{twice_token}/", twice_data).status_code == 302
    barrier = threading.Barrier(respondents + 20)
    statuses, latencies, lock = [], [], threading.Lock()

    def send(token, data):
        client = Client()
        barrier.wait()
        started = time.perf_counter()
        response = client.post(f"/umfragen/einladung/{token}/", data)
        elapsed = time.perf_counter() - started
        with lock:
            statuses.append(response.status_code)
            latencies.append(elapsed)
        connections.close_all()

    threads = [threading.Thread(target=send, args=job) for job in jobs]
    threads += [threading.Thread(target=send, args=(twice_token, twice_data)) for _ in range(20)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    stored = Response.objects.filter(survey=survey).count()
    answered = Participant.objects.filter(survey=survey, answered=True).count()
    return {
        "respondents": respondents,
        "wall_seconds": round(wall, 2),
        "latency_p50_ms": round(statistics.median(latencies) * 1000, 1),
        "latency_p95_ms": round(sorted(latencies)[int(len(latencies) * 0.95)] * 1000, 1),
        "accepted": statuses.count(302),
        "refused_second_answers": statuses.count(409),
        "other_statuses": sorted(s for s in statuses if s not in (302, 409)),
        "responses_stored": stored,
        "invitations_marked_answered": answered,
        "lost": respondents + 1 - stored,
    }


def page_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def results_page(survey, coordinator, bodies, count, small_survey, quick=False):
    questions = all_questions(survey.sections())
    rng = random.Random(10_000)
    today = timezone.localdate()
    responses = [
        Response(survey=survey, body=bodies[n % 3], submitted_on=today - timedelta(days=n % 20)) for n in range(count)
    ]
    Response.objects.bulk_create(responses, batch_size=2000)
    rows = []
    for response in responses:
        for question_id, value in random_answers(questions, rng).items():
            rows += Answer.rows_of(response, next(q for q in questions if q.id == question_id), value)
    Answer.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        # PostgreSQL: VACUUM as autovacuum would after a bulk load, so that index-only scans can skip the table.
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
    client = Client()
    client.force_login(coordinator)
    url = f"/umfragen/{survey.pk}/auswertung/"
    rounds = 10 if quick else 30

    def timed(path, rounds=rounds, warm=3 if quick else 5):
        for _ in range(warm):
            assert client.get(path).status_code == 200
        samples, cpu = [], []
        for _ in range(rounds):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(path)
            samples.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            assert response.status_code == 200
        samples.sort()
        return {
            "median_ms": round(statistics.median(samples) * 1000, 1),
            "p90_ms": round(samples[int(len(samples) * 0.9)] * 1000, 1),
            # The CPU time of this process (SQLite runs in it; PostgreSQL's share is not counted): on a
            # shared machine the wall time also holds the waits for a core.
            "cpu_median_ms": round(statistics.median(cpu) * 1000, 1),
        }

    page = client.get(url).content.decode()
    shown = re.search(r"([\d.\s\u202f\xa0]+) abgesendete Fragebögen", page)
    assert shown and int(re.sub(r"\D", "", shown.group(1))) == count, f"the page counts {shown and shown.group(1)!r}"
    filtered = f"?gremium={bodies[0].pk}&frage={questions[0].id}&antwort=Kita"
    small_url = f"/umfragen/{small_survey.pk}/auswertung/"
    return {
        "responses": count,
        "answer_rows": len(rows),
        "results_page": timed(url),
        "filtered_by_body": timed(f"{url}?gremium={bodies[0].pk}", rounds=rounds // 2),
        "filtered_by_answer": timed(f"{url}?frage={questions[0].id}&antwort=Kita", rounds=rounds // 2),
        "xlsx_export": timed(f"/umfragen/{survey.pk}/auswertung/antworten.xlsx", rounds=1 if quick else 3, warm=1),
        # The same page over the few answers of the concurrency run: the number of queries must not grow.
        "queries": {
            "small_responses": Response.objects.filter(survey=small_survey, submitted_on__isnull=False).count(),
            "small": page_queries(client, small_url),
            "large": page_queries(client, url),
            "small_filtered": page_queries(client, small_url + filtered),
            "large_filtered": page_queries(client, url + filtered),
        },
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--respondents", type=int, default=200)
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "surveys.json"))
    parser.add_argument("--quick", action="store_true", help="fewer timed rounds (the sizes stay)")
    args = parser.parse_args()
    settings.SURVEYS_ANSWER_RATE_LIMIT = ""
    settings.DEBUG = False
    log(f"database: {connection.vendor} ({os.environ['DATABASE_URL'].split('@')[-1]})")
    call_command("migrate", verbosity=0)
    concurrent, big, coordinator, bodies = build()
    log(f"{args.respondents} respondents at once …")
    first = concurrent_answers(concurrent, args.respondents, bodies)
    log(json.dumps(first, indent=2))
    log(f"results over {args.answers} responses …")
    second = results_page(big, coordinator, bodies, args.answers, concurrent, quick=args.quick)
    log(json.dumps(second, indent=2))
    out = {
        "measured_at": timezone.now().isoformat(timespec="seconds"),
        "database": connection.vendor,
        "concurrent_answers": first,
        "results": second,
        "targets": {
            "no_answer_lost": first["lost"] == 0
            and first["refused_second_answers"] == 20
            and not first["other_statuses"],
            "results_page_median_at_most_200_ms": second["results_page"]["median_ms"] <= 200,
            "results_queries_constant": second["queries"]["small"] == second["queries"]["large"]
            and second["queries"]["small_filtered"] == second["queries"]["large_filtered"],
        },
    }
    path = Path(args.out)
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(out["targets"]))
    return 0 if all(out["targets"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
