"""The demo site with a lively forum topic, for the browser tests that walk the main pages.

Used by the accessibility, keyboard and third-party-request tests. Everything is written through
the same services that the site's forms use, so the pages show what a user would really see.
"""

from datetime import timedelta
from types import SimpleNamespace

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cms.models import EventPage
from forum import markdown, services
from forum.models import Reaction
from meetings.models import AgendaItem, Meeting
from network.models import Membership, NetworkBody, User
from newsletter.models import Newsletter

PASSWORD = "geheim-passwort-123"
BROWSER_CONTEXT = {"viewport": {"width": 1280, "height": 900}, "locale": "de-DE"}

# The smallest valid PDF that the attachment type check accepts.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def person(email, display_name):
    user = User.objects.create_user(
        email=email, password=PASSWORD, approval=User.Approval.APPROVED, display_name=display_name
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def build_site():
    """The Teltow demo (with its public newsletter) plus a forum topic with Markdown, a quote, reactions and a file.

    Must run before Playwright starts its event loop in the test's thread: new posts broadcast
    to the live layer from on_commit, which cannot send from a thread with a running loop.
    """
    call_command("seed_demo", verbosity=0)
    body = (
        NetworkBody.objects.filter(
            kind=NetworkBody.Kind.FOKUSGRUPPE,
            status=NetworkBody.Status.ACTIVE,
            visibility=NetworkBody.Visibility.PROFESSIONALS,
        )
        .order_by("name")
        .first()
    )
    professional = person("fachkraft@familienzentrum.example.org", "Fiona Fachkraft")
    colleague = person("kollege@jugendhaus.example.org", "Kai Kollege")
    for user in (professional, colleague):
        Membership.objects.get_or_create(user=user, body=body, defaults={"role": Membership.Role.MEMBER})

    board = body.forum_board
    topic = services.create_topic(
        professional,
        board,
        "Ferienangebote 2026",
        "Wer bietet in den **Sommerferien** etwas an?\n\n- Klettern\n- Theater\n\n"
        "Details stehen im [Ferienkalender](https://example.org/ferien).",
        tags=["Ferien"],
        files=[SimpleUploadedFile("Ferienplan.pdf", PDF, content_type="application/pdf")],
    )
    first = topic.posts.get(number=1)
    reply = services.create_post(
        colleague,
        topic,
        markdown.quote("Wer bietet in den Sommerferien etwas an?", professional.display_name)
        + "Wir bieten ein *Kletterprojekt* an, `Anmeldung` bis Juni.",
        reply_to=first,
    )
    services.create_post(professional, topic, "Danke, @Kai_Kollege, das nehme ich in den Kalender auf.")
    services.toggle_reaction(colleague, first, Reaction.Kind.THUMBS_UP)
    services.toggle_reaction(professional, reply, Reaction.Kind.THANKS)
    services.create_post(colleague, topic, "Gern! Wir melden uns, sobald die Plätze feststehen.", reply_to=reply)
    poll = services.create_poll(
        professional, topic, "Welche Ferienwoche passt für das Treffen?", ["1. Woche", "2. Woche"], is_secret=False
    )
    services.cast_vote(colleague, poll, [poll.options.get(text="2. Woche").pk])

    # Made directly: the demo seeds no meetings yet and a demo moderator would need a second factor here.
    start = timezone.now() + timedelta(days=5)
    meeting = Meeting.objects.create(
        body=body,
        title="Arbeitstreffen Ferienangebote",
        start=start,
        end=start + timedelta(hours=2),
        place="Familienzentrum, Gruppenraum",
        capacity=12,
        visibility="network",
    )
    AgendaItem.objects.create(meeting=meeting, position=1, title="Sommerferien 2027")

    newsletter = Newsletter.objects.get(public_subscribe=True)
    return SimpleNamespace(
        body=body,
        board=board,
        topic=topic,
        professional=professional,
        colleague=colleague,
        newsletter=newsletter,
        meeting=meeting,
        event=EventPage.objects.live().filter(registration_open=True).order_by("start").first(),
    )


def log_in(context, base_url, user):
    """Give a browser context the session of a logged-in user, as after the login form."""
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )


def anonymous_pages(site):
    """The main pages a visitor sees without an account, by name (for screenshots) and path."""
    return {
        "home": "/",
        "body-page": site.body.page.url,
        "network-directory": "/netzwerk/gremien/",
        "organisations": "/netzwerk/organisationen/",
        "network-map": "/netzwerk/netzwerkkarte/",
        "event": site.event.url,
        "newsletter-subscribe": f"/newsletter/anmelden/{site.newsletter.slug}/",
        "login": "/konto/login/",
        "signup": "/konto/signup/",
        "password-reset": "/konto/password/reset/",
        "search-results": "/suche/?q=Kita",
        "meeting-calendar": "/sitzungen/",
        "meeting-calendar-month": "/sitzungen/?ansicht=monat",
    }


def professional_pages(site):
    """The main pages of a logged-in professional: the forum and the account."""
    return {
        "home-logged-in": "/",
        "body-detail": site.body.get_absolute_url(),
        "board-list": "/forum/",
        "board": site.board.get_absolute_url(),
        "topic": site.topic.get_absolute_url(),
        "notifications": "/forum/benachrichtigungen/",
        "profile": "/netzwerk/profil/",
        "my-bodies": "/netzwerk/meine-gremien/",
        "email-addresses": "/konto/email/",
        "password-change": "/konto/password/change/",
        "mfa-overview": "/konto/2fa/",
        "personal-data": "/netzwerk/profil/meine-daten/",
        "delete-account": "/netzwerk/profil/konto-loeschen/",
        "forum-search": "/forum/suche/?q=Ferien",
        "meeting": site.meeting.get_absolute_url(),
        "my-calendar": "/sitzungen/kalender/",
        # Last: the accessibility test goes on from here to the authenticator setup.
        "reauthenticate": "/konto/2fa/totp/activate/",
    }
