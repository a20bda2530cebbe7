"""Membership follows the work: joining a body brings its coming invitations, leaving withdraws the answers.

`network.services` announces joining and leaving (network.membership_events); the network cannot know
meetings. Access itself needs no signal: every page, feed and mail asks `meetings.permissions` anew.
"""

from django.dispatch import receiver

from network.freshness import body_sections_show
from network.membership_events import member_joined, member_left

from . import services
from .models import Guest, Meeting, MeetingSeries


@receiver(member_joined)
def invite_new_member_to_coming_meetings(sender, user, body, **kwargs):
    services.invite_to_upcoming_meetings(user, body)


@receiver(member_left)
def withdraw_answers_of_former_member(sender, user, body, **kwargs):
    services.release_meetings_no_longer_visible(user, body)


# A body's page lists the meetings its reader may see (guests see more); services.cancel_meeting renews by hand
# where it cancels the dates of a series in one UPDATE.
body_sections_show(Meeting, MeetingSeries, Guest)
