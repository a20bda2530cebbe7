"""The yearly report counts what happened in the year, in German time, and names nothing of private boards."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from forum import services as forum_services
from forum.models import Post
from meetings.models import Attendance, Meeting
from network import services as network_services
from newsletter.models import Newsletter, NewsletterArchivePage, NewsletterEdition, Send
from reports.selectors import annual_figures

BERLIN = ZoneInfo("Europe/Berlin")
YEAR = timezone.localdate().year - 1


def at(month, day, hour=10):
    return datetime(YEAR, month, day, hour, tzinfo=BERLIN)


@pytest.fixture
def busy_year(member, moderator, closed_body, open_body, make_user, add_member):
    topic = forum_services.create_topic(
        member, closed_body.forum_board, "Vertrauliche Haushaltsfragen", "Geheimer Inhalt"
    )
    reply = forum_services.create_post(moderator, topic, "Antwort")
    Post.objects.filter(topic=topic).update(created_at=at(3, 1))
    type(topic).objects.filter(pk=topic.pk).update(created_at=at(3, 1))
    # New Year's Eve 23:30 in Teltow is already the next year in UTC: still counted for YEAR.
    late = forum_services.create_post(member, topic, "Silvester")
    Post.objects.filter(pk=late.pk).update(created_at=at(12, 31, 23) + timedelta(minutes=30))
    Post.objects.filter(pk=reply.pk).update(created_at=datetime(YEAR + 1, 1, 1, 0, 30, tzinfo=BERLIN))

    held = Meeting.objects.create(body=closed_body, title="Klausur", start=at(5, 5), end=at(5, 5, 12), place="Rathaus")
    Meeting.objects.create(
        body=closed_body, title="Abgesagt", start=at(6, 5), end=at(6, 5, 12), place="Rathaus", is_cancelled=True
    )
    Attendance.objects.create(meeting=held, user=member, present=True)
    Attendance.objects.create(meeting=held, user=moderator, present=True)

    leaver = make_user(display_name="Lena Leaving")
    add_member(leaver, open_body)
    network_services.leave_body(leaver, open_body)
    return topic


def test_the_year_counts_forum_activity_per_body_in_german_time_without_titles(busy_year, closed_body):
    figures = annual_figures(YEAR)

    row = next(row for row in figures["forum"]["boards"] if row["board"] == closed_body.name)
    assert row == {"board": closed_body.name, "topics": 1, "posts": 2, "active": 1}
    assert figures["forum"]["posts"] == 2
    assert "Vertrauliche Haushaltsfragen" not in str(figures) and "Geheimer Inhalt" not in str(figures)


def test_meetings_held_cancelled_and_attendance_are_counted(busy_year, closed_body):
    meetings = annual_figures(YEAR)["meetings"]

    assert meetings["held"] == 1 and meetings["cancelled"] == 1 and meetings["attended"] == 2
    assert meetings["bodies"] == [{"body": closed_body.name, "held": 1, "attended": 2, "average": 2.0}]


def test_joining_and_leaving_a_body_are_counted_in_the_year_they_happen(busy_year, open_body):
    this_year = annual_figures(timezone.localdate().year)["network"]["bodies"]

    row = next(row for row in this_year if row["name"] == open_body.name)
    assert row["left"] == 1 and row["joined"] >= 1


def test_sent_newsletter_editions_are_listed_with_their_recipients(page_tree):
    newsletter = Newsletter.objects.create(
        name="Sozialraum aktuell", slug="aktuell", sender_name="Koordination", sender_email="s@example.org"
    )
    archive = page_tree.home.add_child(instance=NewsletterArchivePage(title="Newsletter", slug="newsletter"))
    edition = archive.add_child(
        instance=NewsletterEdition(title="Ausgabe März", slug="maerz", newsletter=newsletter, subject="Neues im März")
    )
    Send.objects.create(
        edition=edition,
        status=Send.Status.DONE,
        finished_at=at(3, 20),
        recipients_count=120,
        sent_count=118,
        failed_count=2,
    )

    editions = annual_figures(YEAR)["newsletter"]["editions"]

    assert editions == [
        {"subject": "Neues im März", "sent_on": f"{YEAR}-03-20", "recipients": 120, "sent": 118, "failed": 2}
    ]
