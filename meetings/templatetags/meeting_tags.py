"""Meetings on pages of other apps (the body page) without those apps importing this one."""

from django import template

from .. import permissions, selectors

register = template.Library()


@register.inclusion_tag("meetings/_body_meetings.html", takes_context=True)
def body_meetings(context, body):
    user = context["request"].user
    return {
        "body": body,
        "meetings": selectors.upcoming_for_body(body, user),
        "can_schedule": permissions.can_schedule(user, body),
    }


@register.inclusion_tag("meetings/_my_meetings.html", takes_context=True)
def my_meetings(context):
    """ "Meine Termine": for the person's own overview page."""
    return {"meetings": selectors.upcoming_for_user(context["request"].user)}
