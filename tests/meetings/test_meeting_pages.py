"""The pages: schedule from the body page, the meeting with agenda and replies, the reply list, CSV, attendance."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cms.models import NetworkBodyPage
from meetings import services
from meetings.models import Attendance, Meeting


def test_the_moderator_schedules_from_the_body_page(
    closed_body, moderator, member, logged_in, smtp_sink, django_capture_on_commit_callbacks
):
    browser = logged_in(moderator)
    body_page = browser.get(reverse("network:body_detail", args=[closed_body.slug])).content.decode()
    assert reverse("meetings:schedule", args=[closed_body.slug]) in body_page

    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            reverse("meetings:schedule", args=[closed_body.slug]),
            {
                "title": "Klausurtag",
                "start": f"{day}T09:00",
                "end": f"{day}T15:30",
                "place": "Stadthalle",
                "visibility": "members",
                "reminder": "day_before",
                "agenda": "Rückblick\nAusblick 2027\n",
            },
            follow=True,
        )

    html = response.content.decode()
    meeting = Meeting.objects.get()
    assert (meeting.local_start.hour, meeting.local_end.hour, meeting.local_end.minute) == (9, 15, 30)
    assert "Klausurtag" in html and "Ausblick 2027" in html and "Stadthalle" in html
    assert "Einladung: Klausurtag" in str(smtp_sink.to(member.email)[0]["Subject"])


def test_members_see_members_only_meetings_on_the_body_page_and_others_do_not(
    schedule, closed_body, member, professional, logged_in, client
):
    schedule(title="Interne Haushaltsberatung")
    schedule(title="Offene Sprechstunde", visibility="public")
    url = reverse("network:body_detail", args=[closed_body.slug])

    members_view = logged_in(member).get(url).content.decode()
    outsiders_view = logged_in(professional).get(url).content.decode()
    public_view = client.get(url).content.decode()

    assert "Interne Haushaltsberatung" in members_view and "Offene Sprechstunde" in members_view
    assert "Interne Haushaltsberatung" not in outsiders_view and "Offene Sprechstunde" in outsiders_view
    assert "Interne Haushaltsberatung" not in public_view and "Offene Sprechstunde" in public_view
    assert reverse("meetings:schedule", args=[closed_body.slug]) not in members_view


def test_the_reply_list_and_its_csv_export(schedule, moderator, member, make_user, add_member, closed_body, logged_in):
    meeting = schedule()
    formula = make_user(display_name="=HYPERLINK(1)")
    add_member(formula, closed_body)
    services.reply_to_meeting(member, meeting, "yes", "Bringe Kuchen mit")
    services.reply_to_meeting(formula, meeting, "no")
    browser = logged_in(moderator)

    page = browser.get(reverse("meetings:replies", args=[meeting.pk])).content.decode()
    assert "Mia Mitglied" in page and "Bringe Kuchen mit" in page and "Zusage" in page

    export = browser.get(reverse("meetings:replies_csv", args=[meeting.pk]))
    lines = export.content.decode("utf-8-sig").splitlines()
    assert export["Content-Type"].startswith("text/csv")
    assert lines[0].startswith("Name;E-Mail-Adresse")
    assert any(line.startswith("Mia Mitglied;") and ";Zusage;" in line for line in lines)
    assert any(line.startswith("'=HYPERLINK(1)") for line in lines), "a formula must stay text"


def test_attendance_is_recorded_after_the_start(schedule, moderator, member, logged_in):
    meeting = schedule()
    browser = logged_in(moderator)
    early = browser.post(reverse("meetings:attendance", args=[meeting.pk]), {"present": [member.pk]})
    assert "Die Anwesenheit kann erst ab Beginn der Sitzung erfasst werden." in early.content.decode()
    assert not Attendance.objects.exists()

    Meeting.objects.filter(pk=meeting.pk).update(
        start=timezone.now() - timedelta(hours=2), end=timezone.now() - timedelta(hours=1)
    )
    browser.post(reverse("meetings:attendance", args=[meeting.pk]), {"present": [member.pk]})

    assert dict(Attendance.objects.values_list("user__display_name", "present")) == {
        "Mia Mitglied": True,
        "Moritz Moderation": False,
    }


def test_a_member_proposes_an_agenda_item_on_the_meeting_page(schedule, member, logged_in):
    meeting = schedule(agenda=["Begrüßung"])
    response = logged_in(member).post(
        reverse("meetings:propose", args=[meeting.pk]), {"title": "Bericht Kita Sonnenschein"}, follow=True
    )

    html = response.content.decode()
    assert "Der Punkt steht jetzt auf der Tagesordnung." in html
    assert html.index("Begrüßung") < html.index("Bericht Kita Sonnenschein")
    assert "vorgeschlagen von Mia Mitglied" in html


def test_cancelling_from_the_page_asks_first(schedule, moderator, logged_in):
    meeting = schedule()
    browser = logged_in(moderator)
    assert "Ja, Sitzung absagen" in browser.get(reverse("meetings:cancel", args=[meeting.pk])).content.decode()
    assert not Meeting.objects.get().is_cancelled

    page = browser.post(reverse("meetings:cancel", args=[meeting.pk]), follow=True).content.decode()
    assert "Abgesagt:" in page and Meeting.objects.get().is_cancelled


def test_the_public_page_of_the_body_lists_its_meetings_by_visibility(
    page_tree, schedule, closed_body, member, logged_in, client
):
    schedule(title="Interne Haushaltsberatung")
    schedule(title="Offene Sprechstunde", visibility="public")
    url = NetworkBodyPage.objects.get(body=closed_body).url

    members_view = logged_in(member).get(url).content.decode()
    public_view = client.get(url).content.decode()

    assert "Interne Haushaltsberatung" in members_view and "Offene Sprechstunde" in members_view
    assert "Interne Haushaltsberatung" not in public_view and "Offene Sprechstunde" in public_view
