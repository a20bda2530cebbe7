"""Calendar feeds: public meetings per body and for the network; a personal feed behind a renewable secret."""

import icalendar
import pytest
from django.urls import reverse

from meetings import services
from meetings.models import CalendarFeedToken

from .conftest import next_week_at


@pytest.fixture
def three_meetings(schedule):
    return {
        "public": schedule(title="Offene Sprechstunde", visibility="public", start=next_week_at(10)),
        "network": schedule(title="Fachaustausch Netzwerk", visibility="network", start=next_week_at(12)),
        "members": schedule(title="Interne Haushaltsberatung", visibility="members", start=next_week_at(16)),
    }


def summaries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert "METHOD" not in calendar  # a feed publishes, it does not invite
    for event in calendar.events:
        assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    return {str(event["SUMMARY"]).split(" (")[0] for event in calendar.events}


def test_the_body_and_network_feeds_show_only_public_meetings(three_meetings, closed_body, client):
    assert summaries(client.get(reverse("meetings:feed_body", args=[closed_body.slug]))) == {"Offene Sprechstunde"}
    assert summaries(client.get(reverse("meetings:feed_network"))) == {"Offene Sprechstunde"}


def test_the_personal_feed_shows_what_the_person_may_see(three_meetings, member, professional, client):
    def feed_of(user):
        return summaries(
            client.get(
                reverse("meetings:feed_personal", args=[CalendarFeedToken.objects.get_or_create(user=user)[0].token])
            )
        )

    assert feed_of(member) == {"Offene Sprechstunde", "Fachaustausch Netzwerk", "Interne Haushaltsberatung"}
    assert feed_of(professional) == {"Offene Sprechstunde", "Fachaustausch Netzwerk"}


def test_a_renewed_token_ends_the_old_address(three_meetings, member, logged_in, client):
    browser = logged_in(member)
    page = browser.get(reverse("meetings:calendar_settings"))
    old = CalendarFeedToken.objects.get(user=member).token
    assert old in page.content.decode()

    browser.post(reverse("meetings:calendar_settings"))

    new = CalendarFeedToken.objects.get(user=member).token
    assert new != old
    assert client.get(reverse("meetings:feed_personal", args=[old])).status_code == 404
    assert "Interne Haushaltsberatung" in summaries(client.get(reverse("meetings:feed_personal", args=[new])))


def test_a_member_who_leaves_the_body_loses_its_meetings_in_the_feed_and_a_deactivated_account_the_feed(
    three_meetings, member, closed_body, client
):
    token = CalendarFeedToken.objects.create(user=member).token
    member.memberships.filter(body=closed_body).delete()
    assert "Interne Haushaltsberatung" not in summaries(client.get(reverse("meetings:feed_personal", args=[token])))

    member.is_active = False
    member.save()
    assert client.get(reverse("meetings:feed_personal", args=[token])).status_code == 404


def test_cancelled_meetings_stay_in_the_feed_as_cancelled(schedule, moderator, closed_body, client):
    meeting = schedule(title="Sprechstunde", visibility="public")
    services.cancel_meeting(moderator, meeting)

    calendar = icalendar.Calendar.from_ical(client.get(reverse("meetings:feed_body", args=[closed_body.slug])).content)
    (event,) = calendar.events
    assert (str(event["UID"]), event["STATUS"], event["SEQUENCE"]) == (meeting.ical_uid, "CANCELLED", 1)
