"""Skipped steps, frozen minutes, strangers as task owners and garbage dates: a German message, nothing changes."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from minutes import services
from minutes.models import Minutes, Revision, Task


def state(minutes):
    return (
        Minutes.objects.filter(pk=minutes.pk).values().get(),
        list(Task.objects.values()),
        Revision.objects.count(),
    )


def test_skipping_a_step_is_refused_with_the_workflow_explained(minutes, moderator, logged_in):
    before = state(minutes)
    response = logged_in(moderator).post(
        reverse("minutes:transition", args=[minutes.pk]), {"to": "published"}, follow=True
    )
    page = response.content.decode()
    assert "Vom Stand „Entwurf“ geht es nicht zu „veröffentlicht“" in page
    assert "Entwurf → zur Abstimmung → freigegeben → veröffentlicht" in page
    assert state(minutes) == before


def test_an_unknown_status_is_refused(minutes, moderator, logged_in):
    before = state(minutes)
    response = logged_in(moderator).post(
        reverse("minutes:transition", args=[minutes.pk]), {"to": "fertig"}, follow=True
    )
    assert "Diesen Stand gibt es nicht." in response.content.decode()
    assert state(minutes) == before


def test_editing_frozen_minutes_says_why_and_changes_nothing(published, moderator, logged_in):
    browser = logged_in(moderator)
    before = state(published)
    for url, data in (
        (reverse("minutes:edit", args=[published.pk]), {"text": "Neu"}),
        (reverse("minutes:decision_add", args=[published.pk]), {"text": "Neu"}),
        (reverse("minutes:item_remove", args=[published.pk]), {"decision": published.decisions.get().pk}),
    ):
        response = browser.post(url, data, follow=True)
        assert "Das Protokoll ist freigegeben und kann nicht mehr geändert werden." in response.content.decode()
    assert state(published) == before


def test_a_task_owner_must_be_a_member_of_the_body(minutes, moderator, professional, logged_in):
    before = state(minutes)
    with pytest.raises(ValidationError) as error:
        services.add_task(moderator, minutes, what="Einladung", owner=professional, due_date=timezone.localdate())
    assert "Zuständig sein kann nur ein Mitglied des Gremiums." in error.value.messages
    response = logged_in(moderator).post(
        reverse("minutes:task_add", args=[minutes.pk]),
        {"what": "Einladung", "owner": professional.pk, "due_date": "2031-01-01"},
    )
    assert response.status_code == 400
    assert "Zuständig sein kann nur ein Mitglied des Gremiums." in response.content.decode()
    assert state(minutes) == before


@pytest.mark.parametrize("due_date", ["morgen", "2031-02-30", "", "99999-01-01", "31.12.2"])
def test_a_garbage_due_date_is_refused(minutes, moderator, member, logged_in, due_date):
    before = state(minutes)
    response = logged_in(moderator).post(
        reverse("minutes:task_add", args=[minutes.pk]), {"what": "Bericht", "owner": member.pk, "due_date": due_date}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Bitte ein gültiges Datum angeben" in page
    assert state(minutes) == before


def test_a_due_date_before_the_meeting_is_refused(minutes, moderator, member):
    with pytest.raises(ValidationError, match="Die Frist liegt vor der Sitzung"):
        services.add_task(
            moderator, minutes, what="Bericht", owner=member, due_date=timezone.localdate() - timedelta(days=30)
        )
    assert not Task.objects.exists()


def test_a_second_minutes_for_the_same_meeting_is_refused(minutes, moderator, past_meeting):
    with pytest.raises(ValidationError, match="schon ein Protokoll"):
        services.start_minutes(moderator, past_meeting)


def test_only_the_owner_or_the_moderation_ticks_a_task_off(published, author_of_nothing, logged_in):
    task = published.tasks.get()
    response = logged_in(author_of_nothing).post(
        reverse("minutes:task_done", args=[task.pk]), {"done": "on"}, follow=True
    )
    assert (
        "Eine Aufgabe haken nur die zuständige Person und die Moderation des Gremiums ab." in response.content.decode()
    )
    assert not Task.objects.get(pk=task.pk).done


@pytest.fixture
def author_of_nothing(make_user, closed_body, add_member):
    """Another member of the body, not the task's owner."""
    user = make_user("zweites-mitglied@example.org", display_name="Zora Zweit")
    add_member(user, closed_body)
    return user


@pytest.mark.parametrize("target", ["0", "minutes:detail", "https://evil.example.org/", "//evil.example.org/"])
def test_ticking_a_task_off_returns_only_to_pages_of_this_site(published, member, logged_in, target):
    task = published.tasks.get()
    response = logged_in(member).post(reverse("minutes:task_done", args=[task.pk]), {"done": "on", "next": target})
    assert response.status_code == 302
    assert response.url == published.get_absolute_url()
    assert Task.objects.get(pk=task.pk).done
