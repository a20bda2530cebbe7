"""Invitations for a meeting of a 200-member body: connections, exactly once, time (bench/README.md, "Meetings").

A fresh SQLite file database (a copy of bench/run.py's migrated one, or migrated here), production settings, a counting aiosmtpd sink on loopback in
this process. The body's members are created, a meeting is scheduled through the service, and the
invitation task body (`meetings.tasks.send_meeting_mails`) runs in this process, timed from start to end.
The sink counts the SMTP connections (one per client port) and the mails per recipient.

    .venv/bin/python bench/meetings_invitations.py [--members 200] [--batch-size 50] [--out result.json]
"""

import argparse
import json
import socket
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).resolve().parent / "drivers"))

from ours_env import setup  # noqa: E402


class CountingHandler:
    def __init__(self):
        self.recipients = Counter()
        self.connections = set()

    async def handle_DATA(self, server, session, envelope):
        self.connections.add(session.peer)
        self.recipients.update(address.lower() for address in envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out")
    parser.add_argument("--db", help="a fresh migrated SQLite file (run.py's copy); default: a new one, migrated here")
    args = parser.parse_args()

    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    folder = tempfile.TemporaryDirectory(prefix="sozialraum-bench-meetings-")
    setup(
        args.db or Path(folder.name) / "db.sqlite3",
        settings="config.settings.production",
        EMAIL_BACKEND="core.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=controller.port,
        SITE_URL="https://sozialraum.example.org",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from meetings import mail, services, tasks
    from network.models import Membership, NetworkBody, User

    call_command("migrate", verbosity=0)
    settings.MEETINGS_MAIL_BATCH_SIZE = args.batch_size
    body = NetworkBody.objects.create(
        name="Fokusgruppe Bench", slug="fokusgruppe-bench", visibility=NetworkBody.Visibility.MEMBERS
    )
    people = User.objects.bulk_create(
        [
            User(
                email=f"mitglied{n:04d}@example.org", display_name=f"Mitglied {n:04d}", approval=User.Approval.APPROVED
            )
            for n in range(args.members)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=person, body=body, role=Membership.Role.MODERATOR if n == 0 else Membership.Role.MEMBER)
            for n, person in enumerate(people)
        ]
    )
    start = timezone.now().replace(microsecond=0) + timedelta(days=7)
    meeting = services.schedule_meeting(
        people[0], body, title="Jahresplanung", start=start, end=start + timedelta(hours=2), place="Rathaus Teltow",
        agenda=["Begrüßung", "Berichte der Fokusgruppen", "Termine"],
    )  # fmt: skip

    occurrences = [meeting]
    build_ms = []
    for person in people[:20]:
        began = time.perf_counter()
        mail.build_message(meeting, "invitation", person, occurrences).message().as_bytes()
        build_ms.append((time.perf_counter() - began) * 1000)

    runs = []
    for _round in range(args.rounds):
        handler.recipients.clear()
        handler.connections.clear()
        began = time.perf_counter()
        sent = tasks.send_meeting_mails.call(meeting.pk, "invitation")
        wall = time.perf_counter() - began
        runs.append(
            {
                "sent": sent,
                "wall_s": round(wall, 2),
                "ms_per_mail": round(wall * 1000 / max(sent, 1), 1),
                "connections": len(handler.connections),
                "exactly_once": len(handler.recipients) == args.members and set(handler.recipients.values()) == {1},
            }
        )
    controller.stop()
    best = min(runs, key=lambda run: run["wall_s"])
    result = {
        "members": args.members,
        "batch_size": args.batch_size,
        "expected_connections": -(-args.members // args.batch_size),
        "build_message_median_ms": round(statistics.median(build_ms), 1),
        "runs": runs,
        "best": best,
    }
    print(
        f"{args.members} members, batches of {args.batch_size}: {best['sent']} mails in {best['wall_s']} s "
        f"({best['ms_per_mail']} ms per mail), {best['connections']} SMTP connections "
        f"(expected {result['expected_connections']}), exactly once: {best['exactly_once']}; "
        f"building one mail (MJML, text, .ics) {result['build_message_median_ms']} ms median"
    )
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
