"""One small network with something of every kind, and a logged-in browser per role.

The authorization matrix and the fuzz tests need the same world: a body open to all
professionals and a closed one, public and private forum content, a newsletter with an
edition, an event, and the tokens that mails would carry.
"""

import base64
import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.contrib.auth.models import AnonymousUser, Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.documents.models import Document

from cms.models import EventRegistration
from cms.registration_links import registration_token
from documents import services as documents_services
from forum import notifications as forum_notifications
from forum import services as forum_services
from forum.feeds import feed_token
from forum.models import Attachment, Board, Notification, Report, Tag
from meetings import services as meetings_services
from meetings import tokens as meetings_tokens
from meetings.models import CalendarFeedToken, Meeting, MeetingReply
from minutes import services as minutes_services
from monitoring.models import Indicator, IndicatorValue
from network.access import COORDINATION_GROUP, EDITORS_GROUP
from network.models import (
    ApprovedDomain,
    District,
    Invitation,
    JoinRequest,
    Membership,
    NetworkBody,
    Organisation,
    Themenfeld,
)
from newsletter import tokens as newsletter_tokens
from newsletter.models import Newsletter, NewsletterArchivePage, NewsletterEdition, Send, Subscriber, Subscription
from notices import services as notices_services
from planning import services as planning_services
from planning.announcements import PHASE_KIND
from planning.conference import services as conference_services
from planning.models import Phase, Proposal
from planning.pages import PlanningPaperIndexPage, PlanningPaperPage
from reports.models import AnnualReport
from reports.selectors import annual_figures
from surveys import services as surveys_services
from surveys import tokens as surveys_tokens
from surveys.models import Participant, PlatformFeedback, SurveyIndexPage, SurveyPage

from ..conftest import square
from ..totp import current_code

ONE_PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
WEBHOOK_SECRET = "anymail:geheim"
WEBHOOK_AUTH = "Basic " + base64.b64encode(WEBHOOK_SECRET.encode()).decode()
# "guest": an approved professional outside the closed body, invited as a guest to its one meeting (world.meeting).
ROLES = ["anonymous", "pending", "professional", "guest", "member", "moderator", "editor", "coordinator", "staff"]


@pytest.fixture(autouse=True)
def public_site_url(settings):
    # As in production: provider webhooks open only with their secret (newsletter.webhooks).
    settings.ANYMAIL = {"WEBHOOK_SECRET": WEBHOOK_SECRET}
    settings.SITE_URL = "https://sozialraum.example.org"


def _event(events_index, **fields):
    from cms.models import EventPage

    start = timezone.now() + timedelta(days=14)
    return events_index.add_child(
        instance=EventPage(
            title=fields.pop("title", "Sozialraumkonferenz"),
            slug=fields.pop("slug", "sozialraumkonferenz"),
            start=start,
            location="Rathaus Teltow",
            intro="Das jährliche Treffen des Netzwerks.",
            registration_open=True,
            **fields,
        )
    )


def _planning(coordinator, body):
    """A past year with a council decision and the current one open for proposals and ratings."""
    today = timezone.localdate()
    phases = {kind: (today - timedelta(days=60), today + timedelta(days=60)) for kind in Phase.Kind.values}
    criteria = [
        {"name": "Dringlichkeit", "weight": 2},
        {"name": "Wirkung", "weight": 1, "scale_min": 0, "scale_max": 3},
    ]
    past = planning_services.open_planning_year(
        coordinator,
        today.year - 1,
        {k: (a.replace(year=a.year - 1), b.replace(year=b.year - 1)) for k, (a, b) in phases.items()},
        criteria,
    )
    current = planning_services.open_planning_year(coordinator, today.year, phases, criteria)
    fields = {"problem": "Lange Wartelisten.", "goal": "Mehr Plätze."}
    draft = planning_services.create_proposal(coordinator, current, body, title="Entwurf Kita-Plätze", **fields)
    in_rating = planning_services.create_proposal(coordinator, current, body, title="Familienzentrum", **fields)
    decided = planning_services.create_proposal(coordinator, past, body, title="Sprachkita", **fields)
    S = Proposal.Status
    path = [S.ABGESTIMMT, S.EINGEREICHT, S.IN_BEWERTUNG, S.PRIORISIERT, S.IM_PLANUNGSPAPIER, S.BESCHLOSSEN]
    for proposal, steps in ((in_rating, path[:3]), (decided, path)):
        for target in steps:
            planning_services.transition_proposal(
                coordinator, proposal, target, budget_amount=30_000, drucksache="DS 12/2025"
            )
    planning_services.close_rating_round(coordinator, past)
    in_rating.refresh_from_db()
    return SimpleNamespace(past_year=past, current_year=current, draft=draft, in_rating=in_rating, decided=decided)


def _papers(home, planning):
    """The past year's published Planungspapier and a draft for the current year."""
    index = home.add_child(instance=PlanningPaperIndexPage(title="Planungspapiere", slug="planungspapiere"))
    body = [{"type": "priorities", "value": {"heading": "Priorisierte Zielvorschläge", "intro": ""}}]
    paper = index.add_child(
        instance=PlanningPaperPage(
            title="Planungspapier", slug="planungspapier", planning_year=planning.past_year, body=body
        )
    )
    draft = index.add_child(
        instance=PlanningPaperPage(
            title="Entwurf", slug="entwurf", planning_year=planning.current_year, body=body, live=False
        )
    )
    return paper, draft


def _surveys(home, coordinator, body):
    """An open public survey, an invitation-only one with a link, and a closed one with published results."""
    index = home.add_child(instance=SurveyIndexPage(title="Umfragen", slug="umfragen"))
    now = timezone.now()
    questions = [
        (
            "single_choice",
            {"question": "Wie haben Sie vom Fest erfahren?", "options": ["Plakat", "Newsletter"], "required": True},
        ),
        ("long_text", {"question": "Was wünschen Sie sich?"}),
    ]

    def survey(title, slug, audience, opens, closes):
        page = index.add_child(
            instance=SurveyPage(
                title=title,
                slug=slug,
                audience=audience,
                opens_at=now + timedelta(days=opens),
                closes_at=now + timedelta(days=closes),
                questions=questions,
                owner=coordinator,
            )
        )
        page.bodies.set([body])
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    public = survey("Stadtteilfest", "stadtteilfest", SurveyPage.Audience.PUBLIC, -1, 14)
    invited = survey("Bedarfsabfrage Kita", "bedarfsabfrage-kita", SurveyPage.Audience.INVITED, -1, 14)
    closed = survey("Bürgerumfrage 2025", "buergerumfrage-2025", SurveyPage.Audience.PUBLIC, -30, 30)
    question_ids = [q.id for section in closed.sections() for q in section.questions]
    for number in range(5):
        surveys_services.submit(
            AnonymousUser(), closed, {question_ids[0]: {"choice": "Plakat"}, question_ids[1]: f"Mehr Bänke {number}"}
        )
    SurveyPage.objects.filter(pk=closed.pk).update(
        closes_at=now - timedelta(days=1), results_published=True, published_questions=question_ids
    )
    closed.refresh_from_db()
    participant = Participant.objects.create(
        survey=invited, email="traeger@example.org", nonce=surveys_tokens.new_nonce(), invited_at=now
    )
    return SimpleNamespace(
        index=index,
        public=public,
        invited=invited,
        closed=closed,
        participant=participant,
        text_answer=closed.responses.first().answers.exclude(text="").first(),
    )


@pytest.fixture
def world(page_tree, make_user, make_body, add_member, with_totp):
    """Everything the URL patterns need, built through the apps' own services where they have one."""
    organisation = Organisation.objects.create(name="Stadtteilzentrum Süd", slug="stadtteilzentrum-sued")
    approved_domain = ApprovedDomain.objects.create(domain="stz-sued.example.org", organisation=organisation)
    themenfeld = Themenfeld.objects.create(name="Bildung", slug="bildung")

    author = make_user("autorin@example.org", display_name="Anna Autorin")
    pending = make_user("neu@example.org", approved=False, display_name="Neue Person")
    professional = make_user("fachkraft@example.org", display_name="Frieda Fachkraft", organisation=organisation)
    guest = make_user("gast@example.net", display_name="Gustav Gast")
    member = make_user("mitglied@example.org", display_name="Mia Mitglied")
    member.avatar.save("mia.png", ContentFile(ONE_PIXEL_PNG))
    moderator = make_user("moderation@example.org", display_name="Moritz Moderation")
    editor = make_user("redaktion@example.org", display_name="Rita Redaktion")
    coordinator = make_user("koordination@example.org", display_name="Konrad Koordination")
    staff = make_user("admin@example.org", display_name="Ada Admin", is_staff=True, is_superuser=True)
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    coordinator.groups.add(Group.objects.get(name=COORDINATION_GROUP))

    open_body = make_body("Fokusgruppe Schule", slug="fokusgruppe-schule")
    closed_body = make_body("Lenkungsrunde Sozialplanung", slug="lenkungsrunde", members_only=True)
    add_member(author, closed_body)
    add_member(author, open_body)
    member_membership = add_member(member, closed_body)
    add_member(moderator, closed_body, Membership.Role.MODERATOR)
    for user in (moderator, coordinator, staff):
        with_totp(user)
    # The closed body is the Lenkungsrunde (its members rate proposals); the member and the moderator
    # also sit in the focus group that writes the planning proposals.
    closed_body.kind = NetworkBody.Kind.LENKUNGSRUNDE
    closed_body.save(update_fields=["kind"])
    planning_body = make_body("Fokusgruppe Kita", slug="fokusgruppe-kita", themenfeld=themenfeld)
    add_member(member, planning_body)
    add_member(moderator, planning_body, Membership.Role.MODERATOR)
    planning = _planning(coordinator, planning_body)
    planning.paper, planning.paper_draft = _papers(page_tree.home, planning)
    district = District.objects.create(name="Seehof", slug="seehof", outline=square(13.27, 52.4))
    organisation.districts.add(district)
    indicator = Indicator.objects.create(name="Kinder in Kitas", slug="kita-kinder", unit="Kinder")
    IndicatorValue.objects.create(indicator=indicator, district=district, year=2025, value=310)

    public_board = Board.objects.create(name="Marktplatz", slug="marktplatz", is_public=True)
    internal_board = Board.objects.create(name="Fachaustausch", slug="fachaustausch")
    closed_board = closed_body.forum_board

    public_topic = forum_services.create_topic(
        author, public_board, "Sommerfest im Kiez", "Wer hilft beim **Aufbau**?", tags=["Sommerfest"], is_question=True
    )
    public_reply = forum_services.create_post(professional, public_topic, "Ich bringe Bänke mit.")
    internal_topic = forum_services.create_topic(author, internal_board, "Fallbesprechung", "Nur für Fachkräfte.")
    private_topic = forum_services.create_topic(
        author, closed_board, "Haushalt 2026", "Vertraulich: Kürzungen im Jugendbereich.", is_question=True
    )
    private_reply = forum_services.create_post(member, private_topic, "Antwort von @Anna_Autorin dazu.")
    private_post = private_topic.posts.get(number=1)
    private_poll = forum_services.create_poll(author, private_topic, "Wann tagen wir?", ["Montag", "Dienstag"])
    forum_services.cast_vote(member, private_poll, [private_poll.options.get(text="Dienstag").pk])
    attachment = Attachment(post=private_post, original_name="haushalt.pdf", content_type="application/pdf", size=20)
    attachment.file.save("haushalt.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    attachment.save()
    report = Report.objects.create(post=private_reply, reporter=author, reason="Bitte prüfen.")
    notification = Notification.objects.create(
        recipient=member, kind=Notification.Kind.REPLY, actor=author, post=private_reply
    )
    tag = Tag.objects.get(slug="sommerfest")
    notice = notices_services.send_notices(
        [member], kind=PHASE_KIND, title="Die Bewertung hat begonnen", text="Bitte bewerten.", url="/sozialplanung/"
    )[0]

    join_request = JoinRequest.objects.create(user=professional, body=closed_body, message="Ich möchte mitarbeiten.")
    invitation = Invitation.objects.create(body=closed_body, email=professional.email, invited_by=moderator)

    meeting_start = timezone.now() + timedelta(days=9)
    meeting = meetings_services.schedule_meeting(
        moderator,
        closed_body,
        title="Haushaltsklausur",
        start=meeting_start,
        end=meeting_start + timedelta(hours=2),
        place="Rathaus Teltow",
        agenda=["Haushalt 2027"],
    )
    meetings_services.invite_guest(moderator, meeting, email=guest.email, kind="expert")
    address_guest = meetings_services.invite_guest(moderator, meeting, email="extern@example.net", name="Erika Extern")
    # Attendance is recorded after a meeting, which the service never schedules in the past.
    past_meeting = Meeting.objects.create(
        body=closed_body,
        title="Rückblick",
        start=timezone.now() - timedelta(days=2),
        end=timezone.now() - timedelta(days=2) + timedelta(hours=2),
        place="Rathaus Teltow",
    )
    # The member was there: someone to ask for feedback (surveys.feedback_requests).
    MeetingReply.objects.create(meeting=past_meeting, user=member, answer=MeetingReply.Answer.YES)
    # Minutes put to the vote (members read them), with a decision and a task of the member.
    minutes = minutes_services.start_minutes(moderator, past_meeting, "Bericht über den **Haushalt**.")
    minutes_decision = minutes_services.add_decision(moderator, minutes, "Der Haushalt wird empfohlen.")
    minutes_task = minutes_services.add_task(
        moderator, minutes, what="Stellungnahme schreiben", owner=member, due_date=timezone.localdate() + timedelta(9)
    )
    minutes = minutes_services.change_status(moderator, minutes, "voting")
    unwritten_meeting = Meeting.objects.create(
        body=closed_body,
        title="Klausur",
        start=timezone.now() - timedelta(days=9),
        end=timezone.now() - timedelta(days=9) + timedelta(hours=2),
        place="Rathaus Teltow",
    )

    # The closed body's library: one document for its members, one for the network, one public.
    def paper(by, title, visibility):
        upload = SimpleUploadedFile(f"{title}.pdf", b"%PDF-1.4\n%%EOF\n")
        return documents_services.upload_document(by, closed_body, upload, title=title, visibility=visibility)

    members_document = paper(member, "Haushaltsentwurf", "members")
    network_document = paper(member, "Bedarfsabfrage", "network")
    public_document = paper(moderator, "Sozialraumkonzept", "public")
    meeting.documents.add(members_document, public_document)

    newsletter = Newsletter.objects.create(
        name="Sozialraum aktuell",
        slug="sozialraum-aktuell",
        sender_name="Sozialraumkoordination",
        sender_email="sozialraum@example.org",
        public_subscribe=True,
    )
    internal_newsletter = Newsletter.objects.create(
        name="Fachkräfte-Rundbrief",
        slug="fachkraefte-rundbrief",
        sender_name="Sozialraumkoordination",
        sender_email="sozialraum@example.org",
        public_subscribe=False,
    )
    # No edition refers to it yet: the only kind of list the admin lets anyone delete.
    planned_newsletter = Newsletter.objects.create(
        name="Elternbrief",
        slug="elternbrief",
        sender_name="Sozialraumkoordination",
        sender_email="sozialraum@example.org",
        public_subscribe=False,
    )
    archive = page_tree.home.add_child(instance=NewsletterArchivePage(title="Newsletter", slug="newsletter"))
    sent_edition = archive.add_child(
        instance=NewsletterEdition(
            title="Ausgabe 1",
            slug="ausgabe-1",
            newsletter=newsletter,
            subject="Ausgabe 1",
            body=[("paragraph", "<p>Hallo Netzwerk!</p>")],
        )
    )
    draft_edition = archive.add_child(
        instance=NewsletterEdition(
            title="Ausgabe 2",
            slug="ausgabe-2",
            newsletter=newsletter,
            subject="Ausgabe 2",
            body=[("paragraph", "<p>Noch nicht verschickt.</p>")],
        )
    )
    internal_edition = archive.add_child(
        instance=NewsletterEdition(
            title="Rundbrief 1",
            slug="rundbrief-1",
            newsletter=internal_newsletter,
            subject="Rundbrief 1",
            body=[("paragraph", "<p>Nur für Fachkräfte.</p>")],
        )
    )
    send = Send.objects.create(edition=sent_edition, status=Send.Status.DONE, created_by=coordinator)
    Send.objects.create(edition=internal_edition, status=Send.Status.DONE, created_by=coordinator)
    subscriber = Subscriber.objects.create(email="leserin@example.org")
    subscription = Subscription.objects.create(
        subscriber=subscriber, newsletter=newsletter, status=Subscription.Status.PENDING
    )

    event = _event(page_tree.events)
    # The current year's conference: a workshop and the member's registration (the signed link is theirs).
    conference_event = _event(page_tree.events, title="Sozialraumkonferenz 2026", slug="konferenz", is_conference=True)
    conference = conference_services.set_up_conference(coordinator, planning.current_year, conference_event)
    workshop = conference_services.save_workshop(coordinator, conference, title="Forum Kita", room="Raum 1", capacity=9)
    registration = EventRegistration.objects.create(
        event=conference_event, name="Mira Mitglied", email=member.email, organisation="Kita", user=member
    )
    document = Document.objects.create(title="Flyer", file=ContentFile(b"Flyer zum Sommerfest", name="flyer.txt"))
    last_year = timezone.localdate().year - 1
    annual_report = AnnualReport.objects.create(
        year=last_year,
        introduction="Ein Jahr im Netzwerk.",
        published_at=timezone.now(),
        figures=annual_figures(last_year),
    )
    draft_report = AnnualReport.objects.create(year=last_year + 1, introduction="Entwurf")
    platform_feedback = PlatformFeedback.objects.create(kind="idea", text="Mehr Termine im Kalender, bitte.")
    confirm_address = EmailAddress.objects.create(user=pending, email="zweite@example.org", verified=False)

    return SimpleNamespace(
        users={
            "pending": pending,
            "professional": professional,
            "guest": guest,
            "member": member,
            "moderator": moderator,
            "editor": editor,
            "coordinator": coordinator,
            "staff": staff,
        },
        author=author,
        organisation=organisation,
        approved_domain=approved_domain,
        themenfeld=themenfeld,
        open_body=open_body,
        closed_body=closed_body,
        member_membership=member_membership,
        public_board=public_board,
        internal_board=internal_board,
        closed_board=closed_board,
        public_topic=public_topic,
        public_reply=public_reply,
        internal_topic=internal_topic,
        private_topic=private_topic,
        private_post=private_post,
        private_reply=private_reply,
        private_poll=private_poll,
        attachment=attachment,
        report=report,
        notification=notification,
        notice=notice,
        tag=tag,
        join_request=join_request,
        invitation=invitation,
        meeting=meeting,
        address_guest=address_guest,
        past_meeting=past_meeting,
        minutes=minutes,
        minutes_decision=minutes_decision,
        minutes_task=minutes_task,
        unwritten_meeting=unwritten_meeting,
        members_document=members_document,
        network_document=network_document,
        public_document=public_document,
        newsletter=newsletter,
        internal_newsletter=internal_newsletter,
        planned_newsletter=planned_newsletter,
        archive=archive,
        sent_edition=sent_edition,
        draft_edition=draft_edition,
        internal_edition=internal_edition,
        send=send,
        subscriber=subscriber,
        subscription=subscription,
        event=event,
        conference=SimpleNamespace(
            event=conference_event, conference=conference, workshop=workshop, registration=registration
        ),
        document=document,
        planning_body=planning_body,
        annual_report=annual_report,
        draft_report=draft_report,
        platform_feedback=platform_feedback,
        planning=planning,
        district=district,
        indicator=indicator,
        surveys=_surveys(page_tree.home, coordinator, open_body),
        pages=page_tree,
        tokens=SimpleNamespace(
            newsletter_confirm=newsletter_tokens.make_confirm_token(subscription),
            newsletter_manage=newsletter_tokens.make_manage_token(subscriber.email),
            newsletter_unsubscribe=newsletter_tokens.make_unsubscribe_token(subscriber.email, newsletter.pk),
            forum_unsubscribe=forum_notifications.unsubscribe_token(member, "reply"),
            feed=feed_token(member),
            meeting_reply=meetings_tokens.reply_token(member, meeting, "yes"),
            registration=registration_token(registration),
            meeting_guest=meetings_tokens.guest_token(address_guest),
            calendar_feed=CalendarFeedToken.objects.create(user=member).token,
            email_confirmation=EmailConfirmationHMAC(confirm_address).key,
            password_reset_uid=user_pk_to_url_str(professional),
            password_reset_key=default_token_generator.make_token(professional),
        ),
    )


PASSWORD = "geheim-passwort-123"  # make_user's default


def log_in_fully(user):
    """The real login: password, then the TOTP code where the account has one."""
    from allauth.mfa.models import Authenticator

    browser = Client()
    response = browser.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is not None:
        assert response["Location"].startswith(reverse("mfa_authenticate"))
        response = browser.post(reverse("mfa_authenticate"), {"code": current_code(authenticator)})
        assert response.status_code == 302
    assert browser.session.get("_auth_user_id") == str(user.pk), f"{user.email} is not logged in"
    return browser


@pytest.fixture
def browser_for(world, settings):
    """One browser per role, logged in through the login form (and TOTP for the privileged roles)."""
    settings.MFA_TOTP_TOLERANCE = 1  # a code computed just before a 30-second step ends must still count
    browsers = {}

    def get(role):
        if role not in browsers:
            browsers[role] = Client() if role == "anonymous" else log_in_fully(world.users[role])
        return browsers[role]

    return get


@pytest.fixture
def asgi_application(settings):
    """config.asgi built with explicit hosts: with ALLOWED_HOSTS = ["*"] every origin would pass."""
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    import config.asgi

    # The origin validator reads ALLOWED_HOSTS when the application is built.
    yield importlib.reload(config.asgi).application
