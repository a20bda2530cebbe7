"""The Teltow demo network: complete, alive, and loading it again changes nothing."""

import io
import itertools

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.db.models import Count
from django.utils import timezone
from pypdf import PdfReader

from cms.models import EventPage, FormatPage, NetworkBodyPage
from forum import markdown
from forum.models import Board, Notification, Poll, Post, Reaction, Topic
from meetings.models import Attendance, Meeting, MeetingReply, MeetingSeries, Visibility
from network.models import NetworkBody, Themenfeld, User
from newsletter.models import Delivery, Newsletter, NewsletterEdition, Send
from planning import workflow
from planning.models import Phase, PlanningYear, Proposal, Rating
from planning.pages import PlanningPaperPage

# Task results and the search index are written by Wagtail's own tasks on every save; the
# demo data itself is what must not change.
BOOKKEEPING = {"django_tasks_db.dbtaskresult"}
DEMO_MEMBER = "fachkraft@example.org"


def row_counts():
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label_lower not in BOOKKEEPING
    }


@pytest.fixture
def seeded(db):
    call_command("seed_demo", verbosity=0)


def test_the_demo_has_every_body_themenfeld_and_format_of_the_concept(seeded):
    assert Themenfeld.objects.count() == 6
    assert NetworkBody.objects.filter(name__startswith="Fokusgruppe").count() == 9
    assert NetworkBody.objects.filter(kind=NetworkBody.Kind.LENKUNGSRUNDE).exists()
    assert NetworkBody.objects.filter(kind=NetworkBody.Kind.KONFERENZ).exists()
    assert NetworkBodyPage.objects.live().count() == NetworkBody.objects.count()
    assert FormatPage.objects.live().count() == 13
    assert User.objects.filter(approval=User.Approval.APPROVED).count() >= 60


def test_seeding_twice_changes_nothing(seeded, capsys, mailoutbox):
    before = row_counts()
    meetings_before = list(Meeting.objects.order_by("pk").values_list("start", "is_cancelled", "sequence"))
    statuses_before = list(Proposal.objects.order_by("pk").values_list("status", flat=True))

    call_command("seed_demo")

    assert row_counts() == before
    assert list(Meeting.objects.order_by("pk").values_list("start", "is_cancelled", "sequence")) == meetings_before
    assert list(Proposal.objects.order_by("pk").values_list("status", flat=True)) == statuses_before
    assert "koordination@example.org" in capsys.readouterr().out
    assert mailoutbox == []


def test_the_demo_refuses_to_run_where_demo_data_is_not_allowed(db, settings):
    settings.DEMO_DATA_ALLOWED = False

    with pytest.raises(CommandError, match="DEMO_DATA_ALLOWED"):
        call_command("seed_demo", verbosity=0)

    assert not User.objects.filter(email="admin@example.org").exists()


def test_the_demo_forum_is_a_conversation_between_many_members(seeded):
    boards_with_conversations = Board.objects.annotate(topic_total=Count("topics")).filter(topic_total__gte=2)
    assert boards_with_conversations.count() > Board.objects.count() / 2
    for topic in Topic.objects.filter(post_count__gte=3):
        assert topic.posts.values("author").distinct().count() >= 2, topic
    posts = Post.objects.all()
    # Every post is rendered by the forum's own Markdown renderer, as a real post is.
    assert all(post.html == markdown.render(post.markdown) for post in posts)
    assert any("<blockquote>" in post.html for post in posts)
    assert any("@Lisa_Hartung" in post.markdown for post in posts)
    assert Reaction.objects.values("post").distinct().count() >= 20
    solved = Topic.objects.get(accepted_post__isnull=False, title__startswith="Dolmetscherpool")
    assert solved.is_question and solved.accepted_post.number > 1
    assert Topic.objects.filter(is_pinned=True, board__slug="ankuendigungen").exists()
    titles = list(Topic.objects.filter(board__slug="ehrenamtsboerse").values_list("title", flat=True))
    assert any(title.startswith("Angebot:") for title in titles) and any(
        title.startswith("Gesuch:") for title in titles
    )
    assert "Beispieldaten" in Topic.objects.get(is_pinned=True).posts.get(number=1).markdown


def test_the_demo_member_finds_new_posts_and_unread_notifications(seeded, client):
    member = User.objects.get(email=DEMO_MEMBER)
    client.force_login(member)

    board = client.get(Board.objects.get(body__slug="fg-kita").get_absolute_url()).content.decode()
    notifications = client.get("/forum/benachrichtigungen/").content.decode()

    assert "Bestandsaufnahme Betreuungsplätze" in board
    assert ">neu<" in board
    kinds = set(Notification.objects.filter(recipient=member).values_list("kind", flat=True))
    assert {Notification.Kind.MENTION, Notification.Kind.REPLY, Notification.Kind.ACCEPTED} <= kinds
    assert Notification.objects.filter(recipient=member, read_at__isnull=True).exists()
    assert "Erwähnung" in notifications and "forum-notification--unread" in notifications


def test_the_demo_forum_has_an_open_public_poll_and_a_closed_secret_one(seeded, client):
    client.force_login(User.objects.get(email=DEMO_MEMBER))
    open_poll = Poll.objects.get(topic__title__startswith="Fortbildung „Kinderschutz")
    closed_poll = Poll.objects.get(topic__title="Vorschläge für den Teltower Ehrenamtspreis")

    open_page = client.get(open_poll.topic.get_absolute_url()).content.decode()
    closed_page = client.get(closed_poll.topic.get_absolute_url()).content.decode()

    assert open_poll.is_open and "An welchem Termin könnten Sie teilnehmen?" in open_page
    assert 'type="checkbox" name="options"' in open_page and "Personen haben abgestimmt." in open_page
    assert not closed_poll.is_open and "Welche Kategorie soll 2027 neu dazukommen?" in closed_page
    assert "Ergebnis" in closed_page and "10 Personen haben abgestimmt." in closed_page


def test_visitors_reach_the_newsletter_sign_up_from_home_page_and_footer_and_read_sent_editions(seeded, client):
    newsletter = Newsletter.objects.get(public_subscribe=True)
    home = client.get("/").content.decode()
    archive = client.get("/newsletter/").content.decode()

    assert home.count('href="/newsletter/#abonnieren"') == 2  # the home page's section and the footer
    assert f'href="/newsletter/anmelden/{newsletter.slug}/"' in archive
    assert client.get(f"/newsletter/anmelden/{newsletter.slug}/").status_code == 200
    sent = NewsletterEdition.objects.filter(sends__status=Send.Status.DONE).distinct()
    assert 2 <= sent.count() <= 3
    for edition in sent:
        assert edition.title in archive
        page = client.get(edition.url).content.decode()
        assert "Beispieldaten" in page
    assert Delivery.objects.exclude(status=Delivery.Status.SENT).count() == 0
    assert Delivery.objects.filter(send__edition=sent.first()).count() == newsletter.subscriptions.count()
    latest = client.get(sent.order_by("-first_published_at").first().url).content.decode()
    assert "Aus dem Forum" in latest and "Gesuch: Helferinnen und Helfer" in latest
    assert "Nächste Termine" in latest and "Sitzung der Fokusgruppe" in latest
    draft = NewsletterEdition.objects.get(sends__isnull=True)
    assert draft.title not in archive
    assert client.get(draft.url).status_code == 404


def test_the_next_conference_is_open_for_registration_and_has_attendees(seeded):
    conference = EventPage.objects.get(is_conference=True, registration_open=True)

    assert conference.start > timezone.now()
    assert 20 <= conference.registrations.count() < conference.capacity


def test_the_demo_member_sees_upcoming_meetings_with_replies_and_a_series_with_a_cancelled_and_a_moved_date(
    seeded, client
):
    member = User.objects.get(email=DEMO_MEMBER)
    client.force_login(member)

    mine = client.get("/netzwerk/meine-gremien/").content.decode()

    assert "Meine Termine" in mine and "Sitzung der Fokusgruppe Kita" in mine
    assert MeetingReply.objects.filter(user=member, meeting__start__gt=timezone.now()).count() >= 2
    series = MeetingSeries.objects.get(body__slug="fg-kita")
    assert "BYDAY=2TU" in series.rrule
    dates = series.occurrences.order_by("recurrence_id")
    assert dates.filter(is_cancelled=True, start__gt=timezone.now()).count() == 1
    moved = dates.exclude(start=models.F("recurrence_id")).get()
    assert moved.start > timezone.now() and "Verlegt" in moved.description
    assert all(meeting.local_start.hour == 16 for meeting in dates)
    steering = Meeting.objects.get(body__kind=NetworkBody.Kind.LENKUNGSRUNDE, start__gt=timezone.now())
    assert steering.visibility == Visibility.MEMBERS
    assert sorted(steering.replies.filter(user__memberships__body=steering.body).values_list("answer", flat=True)) == [
        "maybe",
        "no",
        "yes",
        "yes",
    ]
    assert steering.agenda_items.count() == 4 and steering.agenda_items.filter(is_proposal=True).count() == 1
    assert "Beispieldaten" in steering.description


def test_the_regional_coordination_is_a_standing_guest_of_the_steering_group(seeded, client):
    reko = User.objects.get(email="teltow@reko-pm.example.org")
    steering = Meeting.objects.get(body__kind=NetworkBody.Kind.LENKUNGSRUNDE, start__gt=timezone.now())
    assert not reko.memberships.exists()
    client.force_login(reko)

    page = client.get(steering.get_absolute_url()).content.decode()

    assert "Sie sind als Gast eingeladen (beratend)" in page and "Stand der Bewertungsrunde" in page
    assert steering.replies.get(user=reko).answer == "yes"
    fg_kita = Meeting.objects.filter(body__slug="fg-kita", visibility=Visibility.MEMBERS).first()
    assert client.get(fg_kita.get_absolute_url()).status_code == 403


def test_the_open_preparation_meeting_is_full_and_has_a_waiting_list(seeded, client):
    meeting = Meeting.objects.get(title="Vorbereitung Sozialraumkonferenz")

    page = client.get(meeting.get_absolute_url()).content.decode()

    assert meeting.visibility == Visibility.PUBLIC and meeting.capacity == 12
    assert meeting.replies.filter(answer="yes", waiting_position__isnull=True).count() == 12
    assert sorted(meeting.replies.exclude(waiting_position=None).values_list("waiting_position", flat=True)) == [1, 2]
    assert "Vorbereitung Sozialraumkonferenz" in page


def test_past_meetings_have_their_attendance_recorded(seeded):
    past = Meeting.objects.filter(end__lt=timezone.now(), attendances__isnull=False).distinct()

    assert past.count() >= 2
    for meeting in past:
        assert Attendance.objects.filter(meeting=meeting, present=True).count() >= 3
        assert Attendance.objects.filter(meeting=meeting, present=False).exists()


def test_last_years_tracker_shows_the_councils_decisions_and_their_implementation(seeded, client):
    year = PlanningYear.objects.get(year=timezone.localdate().year - 1)

    tracker = client.get(f"/sozialplanung/{year.year}/ergebnisse/").content.decode()

    assert all(phase.ends_on < timezone.localdate() for phase in year.phases.all())
    assert year.rating_closed_at and year.priorities_finalised_at
    assert [c.weight for c in year.criteria.all()] == [2, 3, 1, 1]
    counts = dict(year.proposals.values_list("status").annotate(total=Count("pk")))
    assert counts == {"umgesetzt": 1, "in_umsetzung": 1, "abgelehnt": 1, "vertagt": 1, "zurueckgestellt": 2}
    for proposal in year.proposals.filter(status__in=workflow.DECIDED_STATUSES):
        assert proposal.title in tracker
        assert proposal.decided_on is not None
    for proposal in year.proposals.filter(status__in=workflow.REPORTABLE_STATUSES):
        assert proposal.drucksache and proposal.budget_amount and proposal.reports.exists()
        assert f"Drucksache {proposal.drucksache}" in tracker
    assert Rating.objects.filter(proposal__year=year).values("rater").distinct().count() == 3


def test_last_year_has_a_published_planning_paper_with_a_working_pdf(seeded, client):
    year = PlanningYear.objects.get(year=timezone.localdate().year - 1)
    paper = PlanningPaperPage.objects.live().get(planning_year=year)
    prioritised = list(year.proposals.filter(status__in=workflow.PUBLIC_STATUSES).values_list("title", flat=True))

    page = client.get(paper.url).content.decode()
    document = client.get(paper.pdf_url)

    assert "Beispieldaten" in page and all(title in page for title in prioritised)
    assert "DS 116/" in page and "DS 117/" in page
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(document.content)).pages)
    assert document.status_code == 200 and all(title in text for title in prioritised)
    assert paper.pdf_url in client.get(f"/sozialplanung/{year.year}/").content.decode()


def test_every_demo_proposal_has_a_history_the_workflow_allows(seeded):
    for proposal in Proposal.objects.all():
        events = list(proposal.events.order_by("created_at", "pk"))
        assert events[0].from_status == "" and events[0].to_status == Proposal.Status.ENTWURF
        for before, after in itertools.pairwise(events):
            assert after.from_status == before.to_status
            assert workflow.transition(after.from_status, after.to_status) is not None, proposal
        assert events[-1].to_status == proposal.status


def test_this_year_is_in_the_rating_phase_with_some_ratings_given(seeded, client):
    year = PlanningYear.objects.get(year=timezone.localdate().year)
    client.force_login(User.objects.get(email="koordination@example.org"))

    page = client.get(f"/sozialplanung/{year.year}/").content.decode()
    proposals = client.get(f"/sozialplanung/{year.year}/vorschlaege/").content.decode()

    assert year.current_phase().kind == Phase.Kind.BEWERTUNG
    assert year.phase_of_kind(Phase.Kind.BEWERTUNG).ends_on < timezone.localdate()
    assert not year.rating_is_closed
    assert year.proposals.filter(status=Proposal.Status.IN_BEWERTUNG).count() >= 4
    returned = year.proposals.get(status=Proposal.Status.ZURUECK)
    assert returned.events.get(to_status=Proposal.Status.ZURUECK).comment
    assert year.proposals.filter(status=Proposal.Status.ENTWURF).exists()
    assert Rating.objects.filter(proposal__year=year).exists()
    assert "Bewertung durch die Lenkungsrunde" in page and 'aria-current="step"' in page
    assert all(proposal.title in proposals for proposal in year.proposals.exclude(status=Proposal.Status.ENTWURF))


def test_the_yearly_reports_count_the_demo_and_the_draft_lists_this_years_surveys(seeded, client):
    year = timezone.localdate().year
    client.force_login(User.objects.get(email="koordination@example.org"))

    past = client.get(f"/jahresbericht/{year - 1}/").content.decode()
    draft = client.get(f"/jahresbericht/{year}/").content.decode()

    assert "Beispieldaten" in past and "die Zahlen sind der Stand dieses Tages" in past
    assert "Entwurf" in draft and "Kommunale Bürgerumfrage" in draft
    assert "Sitzungen je Gremium" in draft and "Forum je Bereich" in draft
