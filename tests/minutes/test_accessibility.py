"""The minutes' pages pass axe-core's WCAG 2.1 AA rules in Chromium (helpers of tests/site/test_accessibility.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from minutes import services

from ..browser_site import BROWSER_CONTEXT, log_in
from ..site.test_accessibility import check_pages, report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def minutes_pages(published, past_meeting, closed_body, moderator, member):
    """Built before Chromium starts: published minutes, a draft being written, and a meeting without minutes."""
    start = timezone.now() - timedelta(days=2)
    drafted = Meeting.objects.create(body=closed_body, title="Klausur", start=start, end=start + timedelta(hours=2))
    draft = services.start_minutes(moderator, drafted, "Erste Notizen")
    services.add_task(moderator, draft, what="Raum buchen", owner=member, due_date=timezone.localdate())
    unwritten = Meeting.objects.create(
        body=closed_body, title="Nachtreffen", start=start, end=start + timedelta(hours=1)
    )
    return {
        "visitor": {"body-page-with-summary": closed_body.get_absolute_url()},
        "member": {
            "minutes": published.get_absolute_url(),
            "revisions": reverse("minutes:revisions", args=[published.pk]),
            "body-minutes": reverse("minutes:body_list", args=[closed_body.slug]),
            "body-page-with-tasks": closed_body.get_absolute_url(),
            "meeting-with-minutes": past_meeting.get_absolute_url(),
        },
        "moderator": {
            "draft": draft.get_absolute_url(),
            "draft-edit": reverse("minutes:edit", args=[draft.pk]),
            "create": reverse("minutes:create", args=[unwritten.pk]),
        },
    }


def test_the_minutes_pages_have_no_wcag_21_aa_violations(
    axe_source, live_server, minutes_pages, moderator, member, chromium, artifacts
):
    people = {"visitor": None, "member": member, "moderator": moderator}
    found = []
    for role, pages in minutes_pages.items():
        context = chromium.new_context(**BROWSER_CONTEXT)
        context.add_init_script(path=str(axe_source))
        if people[role] is not None:
            log_in(context, live_server.url, people[role])
        page = context.new_page()
        found += check_pages(page, live_server.url, pages, f"minutes-{role}", artifacts, "de")
        context.close()
    assert not report(found), report(found)
