"""Joining and leaving a body, announced to the apps above the network (forum, meetings).

They are sent by `network.services` when a person joins (open body, accepted request or invitation)
and when a membership ends (leaving, removal by the moderation); the network cannot import the apps
that follow the work of a body, so those apps listen here. A membership written directly (fixtures,
the Wagtail admin's raw rows) announces nothing: only the operations that people take do.

Receivers get `user` and `body` and run inside the service's transaction.
"""

from django.dispatch import Signal

member_joined = Signal()
member_left = Signal()
