"""manage.py seed_demo: the Teltow demo network, safe to run again."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Page

from cms.models import EventPage, EventRegistration, FormatPage, NewsPage
from demo import (
    conference,
    documents,
    forum,
    meetings,
    minutes,
    monitoring,
    network,
    newsletter,
    notices,
    pages,
    planning,
    reports,
    surveys,
)
from documents.models import Document, DocumentVersion
from forum.models import Notification, Post, Reaction, Topic
from meetings.models import Attendance, Meeting, MeetingReply
from monitoring.models import IndicatorValue
from network.models import ApprovedDomain, District, Membership, NetworkBody, Organisation, Themenfeld, User
from network.roles import ensure_role_groups
from newsletter.models import NewsletterEdition, Send, Subscription
from planning.models import PlanningYear, Proposal, Rating
from surveys.models import Response, SurveyPage


class Command(BaseCommand):
    help = (
        "Legt das Demo-Netzwerk Teltow mit Seiten, Gremien, Personen, Forum, Newsletter, Sitzungen und "
        "Planungszyklus an (wiederholbar)."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            # The demo creates a superuser with a published password and TOTP secret.
            raise CommandError("Demo-Daten sind in dieser Umgebung gesperrt (DEMO_DATA_ALLOWED=false).")
        started = time.monotonic()
        with transaction.atomic():
            ensure_role_groups()
            # The body pages hang below the network index, so the tree must exist before the bodies.
            page_tree = pages.ensure_pages()
            bodies = network.seed_network()
            pages.seed_body_content(page_tree, bodies)
            topics = forum.seed_forum()
            newsletter.seed_newsletter(topics)
            meetings.seed_meetings()
            minutes.seed_minutes()
            documents.seed_documents()
            planning.seed_planning()
            notices.seed_notices()
            conference.seed_conferences()
            monitoring.seed_monitoring()
            surveys.seed_surveys()
            surveys.seed_feedback()
            # Last: the yearly report counts what the others made.
            reports.seed_reports()
        self._print_logins()
        self._print_summary(time.monotonic() - started)

    def _print_logins(self):
        rows = network.demo_login_rows()
        width = max(len(email) for email, _role, _totp in rows)
        role_width = max(len(role) for _email, role, _totp in rows)
        self.stdout.write(self.style.MIGRATE_HEADING("\nDemo-Zugänge"))
        self.stdout.write(f"Passwort für alle Zugänge: {network.demo_password()}\n")
        self.stdout.write(f"{'E-Mail-Adresse':<{width}}  {'Rolle':<{role_width}}  Zwei-Faktor")
        self.stdout.write(f"{'-' * width}  {'-' * role_width}  -----------")
        for email, role, has_totp in rows:
            self.stdout.write(f"{email:<{width}}  {role:<{role_width}}  {'TOTP' if has_totp else '–'}")
        self.stdout.write(self.style.MIGRATE_HEADING("\nZwei-Faktor-Anmeldung (TOTP) für die Demo"))
        self.stdout.write(f"Gemeinsamer geheimer Schlüssel: {network.demo_totp_secret()}")
        self.stdout.write(f"Für die Authenticator-App:     {network.demo_totp_uri()}")
        self.stdout.write(f"Aktueller Code (30 Sekunden gültig): {network.current_demo_totp_code()}")
        self.stdout.write(self.style.WARNING("Nur für Demo-Instanzen: Passwort und Schlüssel sind öffentlich bekannt."))

    def _print_summary(self, seconds):
        counts = [
            ("Themenfelder", Themenfeld.objects.count()),
            ("Quartiere (Beispieldaten)", District.objects.count()),
            ("Indikatorwerte (frei erfunden)", IndicatorValue.objects.count()),
            ("Netzwerkgremien", NetworkBody.objects.count()),
            ("Organisationen", Organisation.objects.count()),
            ("Freigegebene E-Mail-Domains", ApprovedDomain.objects.count()),
            ("Freigegebene Personen", User.objects.filter(approval=User.Approval.APPROVED).count()),
            ("Wartende Registrierungen", User.objects.filter(approval=User.Approval.PENDING).count()),
            ("Mitgliedschaften", Membership.objects.count()),
            ("Seiten", Page.objects.filter(depth__gt=1).count()),
            ("davon Formate", FormatPage.objects.count()),
            ("davon Nachrichten", NewsPage.objects.count()),
            ("davon Termine", EventPage.objects.count()),
            ("Anmeldungen zu Terminen", EventRegistration.objects.count()),
            ("Dokumente in den Ablagen", Document.objects.count()),
            ("Dokumentversionen", DocumentVersion.objects.count()),
            ("Forumsthemen", Topic.objects.count()),
            ("Forumsbeiträge", Post.objects.count()),
            ("Reaktionen", Reaction.objects.count()),
            ("Benachrichtigungen", Notification.objects.count()),
            ("Newsletter-Abonnements", Subscription.objects.filter(status=Subscription.Status.CONFIRMED).count()),
            ("Newsletter-Ausgaben", NewsletterEdition.objects.count()),
            ("davon versendet", Send.objects.filter(status=Send.Status.DONE).values("edition").distinct().count()),
            ("Sitzungen", Meeting.objects.count()),
            ("Rückmeldungen zu Sitzungen", MeetingReply.objects.count()),
            ("Erfasste Anwesenheiten", Attendance.objects.count()),
            ("Planungsjahre", PlanningYear.objects.count()),
            ("Zielvorschläge", Proposal.objects.count()),
            ("Bewertungen", Rating.objects.count()),
            ("Umfragen", SurveyPage.objects.count()),
            ("Antwortbögen", Response.objects.filter(submitted_on__isnull=False).count()),
        ]
        width = max(len(label) for label, _count in counts)
        self.stdout.write(self.style.MIGRATE_HEADING("\nBestand"))
        for label, count in counts:
            self.stdout.write(f"{label:<{width}}  {count:>4}")
        self.stdout.write(self.style.SUCCESS(f"\nDemo-Daten sind vollständig ({seconds:.1f} s)."))
