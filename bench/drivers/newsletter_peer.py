"""Newsletter protocol for django-newsletter: a submission, then its `submit_newsletter` command, to a counting sink.

Runs in bench/.peers/newsletter/venv; the sink runs under the interpreter passed as --sink-python.
"""

import argparse
import json
import os
import sys
import time
from datetime import timedelta

from mailrun import Sink, outcome, run_senders

ARTICLE_TEXT = (
    "<p>Im Familienzentrum am Markt beginnt im März eine <b>neue Sprechstunde</b> für Eltern mit kleinen "
    "Kindern. Die Beratung ist <i>kostenlos</i>, eine Anmeldung ist nicht nötig.</p>"
    "<ul><li>dienstags 9 bis 12 Uhr</li><li>donnerstags 14 bis 17 Uhr</li></ul>"
)


def make_message(run):
    """A list and a message of five articles, the same content as the platform's edition."""
    from newsletter.models import Article, Message, Newsletter

    newsletter = Newsletter.objects.create(
        title=f"Sozialraum aktuell {run}",
        slug=f"sozialraum-aktuell-{run}",
        email="sozialraum@example.org",
        sender="Sozialraumkoordination Teltow",
        send_html=True,
    )
    message = Message.objects.create(title="Sozialraum aktuell – März", slug=f"maerz-{run}", newsletter=newsletter)
    titles = ["Neues aus dem Netzwerk", "Termine im März", "Aus den Fokusgruppen", "Alle Termine", "Danke"]
    for order, title in enumerate(titles):
        Article.objects.create(
            post=message, sortorder=order, title=title, text=ARTICLE_TEXT, url="https://example.org/familienzentrum"
        )
    return newsletter, message


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--project", required=True)
    parser.add_argument("--sink-python", required=True)
    parser.add_argument("--sizes", default="2000,10000")
    args = parser.parse_args()
    sys.path.insert(0, args.project)
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchsite.settings"
    os.environ["BENCH_DB"] = args.db
    import django

    django.setup()
    from django.contrib.sites.models import Site
    from django.core.management import call_command
    from django.utils import timezone

    from newsletter.models import Submission, Subscription

    call_command("migrate", verbosity=0)
    Site.objects.filter(pk=1).update(domain="sozialraum.example.org", name="Sozialraum")
    runs = []
    for size in [int(size) for size in args.sizes.split(",")]:
        newsletter, message = make_message(len(runs) + 1)
        Subscription.objects.bulk_create(
            [
                Subscription(
                    newsletter=newsletter,
                    email_field=f"leserin{number:05d}@example.org",
                    subscribed=True,
                    subscribe_date=timezone.now(),
                )
                for number in range(size)
            ],
            batch_size=1000,
        )
        sink = Sink(args.sink_python, f"{args.out}.sink-{len(runs)}.json")
        env = dict(os.environ, EMAIL_PORT=str(sink.port))
        started = time.time()
        # What the admin's "submit" does: freeze the recipients and mark the submission ready.
        submission = Submission.from_message(message)
        submission.prepared = True
        submission.publish_date = timezone.now() - timedelta(seconds=1)
        submission.save()
        command = [sys.executable, "manage.py", "submit_newsletter", "--verbosity", "0"]
        senders = run_senders([command], env, args.project, f"{args.out}.run-{len(runs)}")
        report = sink.stop()
        submission.refresh_from_db()
        runs.append(outcome(size, started, report, senders, workers=1, marked_sent=submission.sent))
    result = {"app": "django-newsletter", "django": django.get_version(), "runs": runs}
    with open(args.out, "w") as handle:
        json.dump(result, handle, indent=2)


if __name__ == "__main__":
    main()
