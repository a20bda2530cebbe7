"""Newsletter protocol for the platform: sender processes waiting as task workers do, then start_send, to a
counting sink.

    newsletter_ours.py --out R.json --db D.sqlite3 [--database-url postgres://…] --runs 2000x1,10000x2,10000x2p

Each run is SIZExWORKERS; a trailing "p" makes it the personalised edition (every recipient has a name,
so every greeting is personal), the others greet "Guten Tag,". `--sizes` × `--workers` is the same as the
runs of every combination.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from mailrun import Sink, outcome, start_measured, wait_measured
from ours_env import ROOT, environment, setup

WORKER = Path(__file__).resolve().parent / "newsletter_worker.py"

SECTION_TEXT = (
    "<p>Im Familienzentrum am Markt beginnt im März eine <b>neue Sprechstunde</b> für Eltern mit kleinen "
    "Kindern. Die Beratung ist <i>kostenlos</i>, eine Anmeldung ist nicht nötig. Mehr dazu auf "
    '<a href="https://example.org/familienzentrum">der Seite des Familienzentrums</a>.</p>'
    "<ul><li>dienstags 9 bis 12 Uhr</li><li>donnerstags 14 bis 17 Uhr</li></ul>"
)


def edition_body():
    """About five sections, as a monthly edition of the network has them."""
    body = []
    for number, title in enumerate(["Neues aus dem Netzwerk", "Termine im März", "Aus den Fokusgruppen"], start=1):
        body.append(("heading", {"text": title, "level": "h2"}))
        body.append(("paragraph", SECTION_TEXT.replace("März", f"März ({number})")))
    body.append(("button", {"text": "Alle Termine", "page": None, "url": "https://example.org/termine"}))
    body.append(("divider", None))
    body.append(("paragraph", "<p>Vielen Dank für Ihre Mitarbeit im Sozialraumnetzwerk!</p>"))
    return body


def make_send(size, run, subscribers):
    """A new list with the first `size` addresses confirmed, an edition for it, and a draft send."""
    from wagtail.models import Site

    from newsletter.models import Newsletter, NewsletterArchivePage, NewsletterEdition, Subscription
    from newsletter.services import create_send

    newsletter = Newsletter.objects.create(
        name=f"Sozialraum aktuell {run}",
        slug=f"sozialraum-aktuell-{run}",
        sender_name="Sozialraumkoordination Teltow",
        sender_email="sozialraum@example.org",
        reply_to="antwort@example.org",
        public_subscribe=True,
    )
    archive = NewsletterArchivePage.objects.first()
    if archive is None:
        home = Site.objects.get(is_default_site=True).root_page
        archive = home.add_child(instance=NewsletterArchivePage(title="Newsletter", slug="newsletter"))
    edition = archive.add_child(
        instance=NewsletterEdition(
            title=f"Ausgabe {run}",
            slug=f"ausgabe-{run}",
            newsletter=newsletter,
            subject="Sozialraum aktuell – März",
            preheader="Neues aus den Fokusgruppen",
            body=edition_body(),
        )
    )
    Subscription.objects.bulk_create(
        [
            Subscription(subscriber=subscriber, newsletter=newsletter, status=Subscription.Status.CONFIRMED)
            for subscriber in subscribers[:size]
        ],
        batch_size=1000,
    )
    return edition, create_send(edition)


def render_times(edition, rounds):
    """Median of the MJML compile step alone, and of the whole compile_edition (templates, DB, MJML)."""
    import mjml
    from django.template.loader import render_to_string

    from newsletter.rendering import compile_edition, edition_context

    source = render_to_string("newsletter/mjml/edition.mjml", edition_context(edition))
    timings = []
    for _round in range(rounds):
        started = time.perf_counter()
        mjml.mjml2html(source, disable_comments=True)
        timings.append(time.perf_counter() - started)
    whole = []
    for _round in range(max(rounds // 10, 5)):
        started = time.perf_counter()
        compile_edition(edition)
        whole.append(time.perf_counter() - started)
    return {
        "mjml_median_ms": round(statistics.median(timings) * 1000, 2),
        "mjml_rounds": rounds,
        "compile_edition_median_ms": round(statistics.median(whole) * 1000, 2),
        "compile_edition_rounds": len(whole),
    }


def start_workers(count, env, report_prefix):
    """`count` sender processes, each set up and waiting for a send id (peak RSS measured: see measured.py)."""
    processes = [
        start_measured(
            [sys.executable, str(WORKER)],
            f"{report_prefix}.worker-{number}.json",
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for number in range(count)
    ]
    for process in processes:
        if process.stdout.readline().strip() != "ready":
            raise RuntimeError("a sender process did not get ready")
    return processes


def go_and_wait(processes, send_id):
    """Hand every worker the send and wait for all; each one's exit code and peak RSS."""
    for process in processes:
        process.stdin.write(f"{send_id}\n")
        process.stdin.flush()
    return wait_measured(processes)


def write_sample(send, path):
    """The first recipient's message as the platform's worker sent it (the 8bit form, as the sink offers
    8BITMIME): what the raw sender of the limit row pushes, one copy per recipient."""
    from newsletter.delivery.messages import maker_for
    from newsletter.models import Delivery

    first = Delivery.objects.filter(send=send).order_by("id").first()
    email = maker_for(send)(first)
    data = email.eight_bit_bytes() or email.message().as_bytes(linesep="\r\n")
    with open(path, "wb") as handle:
        handle.write(data)


def parse_runs(args):
    if args.runs:
        runs = []
        for spec in args.runs.split(","):
            personal = spec.endswith("p")
            size, workers = spec.rstrip("p").split("x")
            runs.append((int(size), int(workers), personal))
        return runs
    return [(int(size), int(workers), False) for size in args.sizes.split(",") for workers in args.workers.split(",")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--database-url", help="postgres:// URL of a fresh database, instead of SQLite")
    parser.add_argument("--sizes", default="2000,10000")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--runs", help="SIZExWORKERS[p],… instead of --sizes × --workers")
    args = parser.parse_args()
    database = args.database_url or args.db
    setup(database)
    from django.core.management import call_command
    from django.db import connection
    from django.urls import get_resolver

    from newsletter.delivery.lifecycle import start_send
    from newsletter.models import Delivery, Subscriber

    started_at = time.monotonic()

    def log(message):
        print(f"  newsletter_ours [{time.monotonic() - started_at:6.1f}s] {message}", file=sys.stderr, flush=True)

    call_command("migrate", verbosity=0)
    log(f"migrated ({connection.vendor})")
    # start_send reverses the archive page's URL: the first reverse imports every app's URLconf (over a
    # second on a busy machine), which the web process that starts a send has long done.
    get_resolver().url_patterns  # noqa: B018 - the property imports the URLconf
    plan = parse_runs(args)
    largest = max(size for size, _workers, _personal in plan)
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"leserin{number:06d}@example.org") for number in range(largest)], batch_size=5000
    )
    named = Subscriber.objects.bulk_create(
        [
            Subscriber(email=f"leser{number:06d}@example.org", name=f"Leserin {number} Mustermann")
            for number in range(max((size for size, _w, personal in plan if personal), default=0))
        ],
        batch_size=5000,
    )
    runs = []
    for size, workers, personal in plan:
        log(f"{size} recipients, {workers} worker(s){', personalised' if personal else ''}")
        edition, send = make_send(size, len(runs) + 1, named if personal else subscribers)
        sink = Sink(sys.executable, f"{args.out}.sink-{len(runs)}.json")
        env = environment(
            database,
            settings="config.settings.production",
            NEWSLETTER_RATE_LIMIT=0,
            EMAIL_BACKEND="core.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=sink.port,
        )
        processes = start_workers(workers, env, f"{args.out}.run-{len(runs)}")
        started = time.time()
        send, _started = start_send(send, enqueue=False)
        start_send_s = time.time() - started
        senders = go_and_wait(processes, send.pk)
        report = sink.stop()
        sent = Delivery.objects.filter(send=send, status=Delivery.Status.SENT).count()
        runs.append(
            outcome(
                size,
                started,
                report,
                senders,
                workers=workers,
                personalised=personal,
                database=connection.vendor,
                start_send_s=round(start_send_s, 2),
                ledger_sent=sent,
            )
        )
        if len(runs) == 1:
            write_sample(send, f"{args.out}.sample.eml")
        # A large list's rows would slow the next run's claims; each run stands alone.
        Delivery.objects.filter(send=send).delete()
    result = {"app": "ours", "database": connection.vendor, "runs": runs, "render": render_times(edition, 200)}
    with open(args.out, "w") as handle:
        json.dump(result, handle, indent=2)


if __name__ == "__main__":
    main()
