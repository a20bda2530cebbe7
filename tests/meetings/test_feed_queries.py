"""The personal feed asks the database a fixed number of times, however many meetings and bodies there are."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from meetings.models import CalendarFeedToken, Meeting, MeetingReply, MeetingSeries, Visibility
from network.models import Membership


def _add_bodies(make_body, member, count, meetings_each):
    now = timezone.now()
    for _ in range(count):
        body = make_body()
        Membership.objects.create(user=member, body=body)
        series = MeetingSeries.objects.create(
            body=body,
            title="Jour fixe",
            rrule="FREQ=WEEKLY;COUNT=4",
            first_start=now + timedelta(days=1),
            first_end=now + timedelta(days=1, hours=2),
        )
        created = Meeting.objects.bulk_create(
            Meeting(
                body=body,
                series=series if number < 4 else None,
                recurrence_id=now + timedelta(days=1 + 7 * number) if number < 4 else None,
                is_exception=number == 1,
                title=f"Sitzung {number}",
                start=now + timedelta(days=1 + 7 * number),
                end=now + timedelta(days=1 + 7 * number, hours=2),
                place="Rathaus Teltow",
                visibility=[Visibility.MEMBERS, Visibility.NETWORK, Visibility.PUBLIC][number % 3],
            )
            for number in range(meetings_each)
        )
        MeetingReply.objects.create(meeting=created[-1], user=member, answer=MeetingReply.Answer.YES)


def test_the_personal_feed_needs_the_same_queries_for_more_meetings(
    make_body, member, client, django_assert_max_num_queries
):
    token = CalendarFeedToken.objects.create(user=member).token
    url = reverse("meetings:feed_personal", args=[token])
    _add_bodies(make_body, member, 1, 5)
    client.get(url)  # caches that belong to the process, not to the feed (site root paths, content types)
    with django_assert_max_num_queries(10) as captured:
        small = client.get(url)
    baseline = len(captured.captured_queries)

    _add_bodies(make_body, member, 5, 20)
    with django_assert_max_num_queries(baseline):
        large = client.get(url)

    assert small.content.count(b"BEGIN:VEVENT") < large.content.count(b"BEGIN:VEVENT")
