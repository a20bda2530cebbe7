"""Minutes on pages of other apps (the body page, the meeting page) without those apps importing this one."""

from django import template

from .. import permissions, selectors

register = template.Library()


@register.inclusion_tag("minutes/_body_minutes.html", takes_context=True)
def body_minutes(context, body):
    """Public summaries of published minutes for everyone; the open tasks for the body's members."""
    request = context["request"]
    is_inside = permissions.can_see_body_minutes(request.user, body)
    tasks = selectors.open_tasks_of_body(body) if is_inside else []
    for task in tasks:
        task.may_mark = permissions.can_mark_task(request.user, task)
    return {
        "request": request,
        "body": body,
        "summaries": selectors.public_summaries(body),
        "is_inside": is_inside,
        "tasks": tasks,
    }


@register.inclusion_tag("minutes/_meeting_minutes.html", takes_context=True)
def meeting_minutes(context, meeting):
    user = context["request"].user
    minutes = selectors.minutes_of_meeting(meeting)
    return {
        "meeting": meeting,
        "minutes": minutes,
        "can_see": minutes is not None and permissions.can_see(user, minutes),
        "can_write": minutes is None and permissions.can_write(user, meeting),
    }
