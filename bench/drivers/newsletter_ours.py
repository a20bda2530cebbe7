"""Newsletter protocol for the platform: start_send, then `manage.py deliver_newsletters` workers, to a counting sink."""

import argparse
import json
import statistics
import sys
import time

from mailrun import Sink, outcome, run_senders
from ours_env import ROOT, environment, setup

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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--sizes", default="2000,10000")
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()
    setup(args.db)
    from django.core.management import call_command

    from newsletter.delivery.lifecycle import start_send
    from newsletter.models import Delivery, Subscriber

    call_command("migrate", verbosity=0)
    sizes = [int(size) for size in args.sizes.split(",")]
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"leserin{number:05d}@example.org") for number in range(max(sizes))], batch_size=1000
    )
    runs = []
    for size in sizes:
        for workers in [int(count) for count in args.workers.split(",")]:
            edition, send = make_send(size, len(runs) + 1, subscribers)
            sink = Sink(sys.executable, f"{args.out}.sink-{len(runs)}.json")
            env = environment(
                args.db,
                settings="config.settings.production",
                NEWSLETTER_RATE_LIMIT=0,
                EMAIL_BACKEND="core.smtp.EmailBackend",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=sink.port,
            )
            started = time.time()
            send, _started = start_send(send, enqueue=False)
            start_send_s = time.time() - started
            command = [sys.executable, "manage.py", "deliver_newsletters", "--send", str(send.pk), "--no-wait"]
            senders = run_senders([command] * workers, env, ROOT)
            report = sink.stop()
            sent = Delivery.objects.filter(send=send, status=Delivery.Status.SENT).count()
            runs.append(
                outcome(
                    size,
                    started,
                    report,
                    senders,
                    workers=workers,
                    start_send_s=round(start_send_s, 2),
                    ledger_sent=sent,
                )
            )
    result = {"app": "ours", "runs": runs, "render": render_times(edition, 200)}
    with open(args.out, "w") as handle:
        json.dump(result, handle, indent=2)


if __name__ == "__main__":
    main()
