"""The demo shows minutes at work: published ones with decisions, tasks and a public summary, one put to the vote."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from minutes.models import Minutes, Task
from network.models import NetworkBody, User


@pytest.fixture
def seeded(db):
    call_command("seed_demo", verbosity=0)


def test_past_meetings_have_published_minutes_and_one_is_put_to_the_vote(seeded, client):
    published = Minutes.objects.filter(status=Minutes.Status.PUBLISHED)
    assert published.count() >= 2
    for minutes in published:
        assert minutes.decisions.exists() and minutes.tasks.exists() and minutes.public_summary
        assert minutes.present.exists() and minutes.revisions.count() == 4
        assert minutes.meeting.is_past
    voting = Minutes.objects.get(status=Minutes.Status.VOTING)
    assert voting.discussion is not None and voting.discussion.board.body == voting.meeting.body
    body = NetworkBody.objects.get(slug="fg-schule")
    page = client.get(body.get_absolute_url(), follow=True).content.decode()
    assert "Aus den Sitzungen" in page and "Hortplätzen" in page


def test_task_owners_are_members_of_their_body_and_the_demo_member_sees_open_tasks(seeded, client):
    for task in Task.objects.select_related("owner", "minutes__meeting"):
        assert task.owner.memberships.filter(body=task.minutes.meeting.body).exists()
    member = User.objects.get(email="fachkraft@example.org")
    client.force_login(member)
    body = NetworkBody.objects.get(slug="fg-kita")
    page = client.get(body.get_absolute_url(), follow=True).content.decode()
    assert "Flyer zur Elternsprechstunde an alle Kitas verteilen" in page
    assert "Protokoll: " in client.get(reverse("forum:search"), {"q": "Elternsprechstunde"}).content.decode()
