"""Writing minutes: attendance from the replies, the forum's Markdown and sanitiser, decisions and tasks, revisions."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from meetings.models import Attendance, Meeting
from minutes import services
from minutes.models import Minutes


def test_attendance_is_prefilled_from_the_yes_replies(minutes, member):
    assert list(minutes.present.all()) == [member]


def test_recorded_attendance_wins_over_the_replies(past_meeting, moderator, member):
    Attendance.objects.create(meeting=past_meeting, user=moderator, present=True)
    Attendance.objects.create(meeting=past_meeting, user=member, present=False)
    minutes = services.start_minutes(moderator, past_meeting)
    assert list(minutes.present.all()) == [moderator]


def test_the_text_is_rendered_with_the_forums_markdown_and_sanitised(minutes, moderator, logged_in):
    services.edit_minutes(
        moderator,
        minutes,
        text="**Wichtig:** <script>alert(1)</script> [Link](javascript:alert(2))",
        present_user_ids=[],
    )
    page = logged_in(moderator).get(reverse("minutes:detail", args=[minutes.pk])).content.decode()
    assert "<strong>Wichtig:</strong>" in page
    assert "<script>alert(1)" not in page
    assert 'href="javascript' not in page


def test_decisions_and_tasks_are_separate_items_on_the_minutes_page(minutes, moderator, member, logged_in):
    services.add_decision(moderator, minutes, "Der Haushalt wird beschlossen.")
    services.add_task(
        moderator, minutes, what="Protokoll verschicken", owner=member, due_date=timezone.localdate() + timedelta(7)
    )
    page = logged_in(moderator).get(reverse("minutes:detail", args=[minutes.pk])).content.decode()
    assert "Der Haushalt wird beschlossen." in page
    assert "Protokoll verschicken" in page and "Mia Mitglied" in page


def test_every_change_is_a_revision_with_who_and_text(minutes, moderator, member, logged_in):
    services.edit_minutes(moderator, minutes, text="Zweite Fassung", present_user_ids=[member.pk])
    services.add_decision(moderator, minutes, "Beschluss eins")
    revisions = list(minutes.revisions.order_by("number"))
    assert [r.change for r in revisions] == [
        "Protokoll angelegt",
        "Text und Anwesenheit bearbeitet",
        "Beschluss hinzugefügt",
    ]
    assert revisions[1].text == "Zweite Fassung" and revisions[1].author == moderator
    assert revisions[2].decisions == ["Beschluss eins"]
    page = logged_in(moderator).get(reverse("minutes:revisions", args=[minutes.pk])).content.decode()
    assert "Version 3" in page and "Zweite Fassung" in page


def test_a_member_can_write_the_minutes_and_the_meeting_page_links_to_them(past_meeting, member, logged_in):
    browser = logged_in(member)
    meeting_page = browser.get(past_meeting.get_absolute_url()).content.decode()
    assert reverse("minutes:create", args=[past_meeting.pk]) in meeting_page
    response = browser.post(reverse("minutes:create", args=[past_meeting.pk]))
    minutes = Minutes.objects.get(meeting=past_meeting)
    assert response.url == reverse("minutes:edit", args=[minutes.pk])
    assert minutes.author == member
    assert reverse("minutes:detail", args=[minutes.pk]) in browser.get(past_meeting.get_absolute_url()).content.decode()


def test_minutes_are_written_only_after_the_meeting_began(closed_body, moderator, logged_in):
    start = timezone.now() + timedelta(days=3)
    future = Meeting.objects.create(body=closed_body, title="Künftig", start=start, end=start + timedelta(hours=1))
    response = logged_in(moderator).post(reverse("minutes:create", args=[future.pk]))
    assert response.status_code == 403
    assert "erst ab Beginn der Sitzung" in response.content.decode()
    assert not Minutes.objects.exists()
