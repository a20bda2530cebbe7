"""A person's replies are in their data download; deleting the account frees their place for the next in line."""

import json

from django.urls import reverse

from core.privacy import delete_account
from meetings import services
from meetings.models import MeetingReply


def test_the_download_holds_the_persons_replies(schedule, member, logged_in):
    meeting = schedule(title="Jahresplanung")
    services.reply_to_meeting(member, meeting, "maybe", "Komme später")

    data = json.loads(logged_in(member).get(reverse("network:personal_data_download")).content)

    (reply,) = data["meetings"]["replies"]
    assert (reply["meeting"], reply["answer"], reply["comment"]) == ("Jahresplanung", "vielleicht", "Komme später")


def test_deleting_an_account_gives_its_place_to_the_next_on_the_waiting_list(
    schedule, member, make_user, add_member, closed_body, smtp_sink, django_capture_on_commit_callbacks
):
    waiting = make_user(display_name="Wartende Person")
    add_member(waiting, closed_body)
    meeting = schedule(capacity=1)
    services.reply_to_meeting(member, meeting, "yes")
    services.reply_to_meeting(waiting, meeting, "yes")

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(member)

    (reply,) = MeetingReply.objects.filter(meeting=meeting)
    assert (reply.user, reply.waiting_position) == (waiting, None)
    assert [m for m in smtp_sink.to(waiting.email) if "nachgerückt" in str(m["Subject"])]
