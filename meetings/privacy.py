"""The meetings' part of a person's data download and account deletion.

Replies, attendance, guest invitations and the calendar token go with the account (they cascade); a place the person
held in a full meeting goes to the next on the waiting list. Agenda items they proposed stay on
the agenda without their name.
"""

from django.utils import timezone

from core.privacy import register_part

from . import services
from .models import AgendaItem, Attendance, CalendarFeedToken, Guest, Meeting, MeetingReply


def export_personal_data(user) -> dict:
    replies = MeetingReply.objects.filter(user=user).select_related("meeting", "meeting__body").order_by("replied_at")
    attendances = Attendance.objects.filter(user=user).select_related("meeting").order_by("meeting__start")
    proposals = AgendaItem.objects.filter(proposed_by=user, is_proposal=True).select_related("meeting")
    return {
        "replies": [
            {
                "meeting": reply.meeting.title,
                "body": reply.meeting.body.name,
                "start": reply.meeting.start,
                "answer": reply.get_answer_display(),
                "waiting_position": reply.waiting_position,
                "comment": reply.comment,
                "replied_at": reply.replied_at,
            }
            for reply in replies
        ],
        "attendance": [
            {"meeting": row.meeting.title, "start": row.meeting.start, "present": row.present} for row in attendances
        ],
        "agenda_proposals": [{"meeting": item.meeting.title, "title": item.title} for item in proposals],
        "has_calendar_feed": CalendarFeedToken.objects.filter(user=user).exists(),
        "guest_invitations": [
            {
                "meeting": guest.meeting.title if guest.meeting_id else None,
                "standing_guest_of": guest.body.name if guest.body_id else None,
                "kind": guest.get_kind_display(),
                "function": guest.function,
            }
            for guest in Guest.objects.filter(user=user).select_related("meeting", "body").order_by("pk")
        ],
    }


def erase_personal_data(user) -> None:
    held_places = list(
        Meeting.objects.filter(
            replies__user=user,
            replies__answer=MeetingReply.Answer.YES,
            replies__waiting_position__isnull=True,
            end__gt=timezone.now(),
            is_cancelled=False,
        )
    )
    MeetingReply.objects.filter(user=user).delete()
    for meeting in held_places:
        services.give_free_places_to_waiting(meeting)


register_part(
    "meetings",
    export=lambda subject: export_personal_data(subject.user),
    erase=lambda subject: erase_personal_data(subject.user),
)
