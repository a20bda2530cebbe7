"""A vote reaches every open page of the topic at once, rendered for each reader as they may see it."""

import pytest
from asgiref.sync import sync_to_async

from forum import services
from forum.models import Poll

from .live_helpers import receive_type

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def voter(make_user, closed_body, add_member):
    user = make_user(display_name="Vera Votum")
    add_member(user, closed_body)
    return user


@pytest.fixture
def topic(make_topic, closed_board, member):
    return make_topic(closed_board, member, title="Fachtag 2027")


def make_poll(member, topic, **options):
    return services.create_poll(member, topic, "Welcher Ort?", ["Rathaus", "Stadtbibliothek"], **options)


async def test_a_vote_updates_the_results_on_the_other_readers_page(live_socket, topic, member, voter):
    poll = await sync_to_async(make_poll)(member, topic)
    library = await sync_to_async(poll.options.get)(text="Stadtbibliothek")
    socket = await live_socket(f"/ws/forum/thema/{topic.pk}/", member)

    await sync_to_async(services.cast_vote)(voter, poll, [library.pk])

    message = await receive_type(socket, "poll")
    assert message["poll_id"] == poll.pk
    assert f'data-poll-count="{library.pk}">1<' in message["html"]
    assert "1 Person hat abgestimmt." in message["html"]


async def test_a_reader_who_has_not_voted_gets_no_counts_of_a_results_after_vote_poll(
    live_socket, topic, member, voter
):
    poll = await sync_to_async(make_poll)(member, topic, results=Poll.Results.AFTER_VOTE)
    town_hall = await sync_to_async(poll.options.get)(text="Rathaus")
    socket = await live_socket(f"/ws/forum/thema/{topic.pk}/", member)

    await sync_to_async(services.cast_vote)(voter, poll, [town_hall.pk])

    message = await receive_type(socket, "poll")
    assert "Das Ergebnis sehen Sie, sobald Sie abgestimmt haben." in message["html"]
    assert "data-poll-count" not in message["html"]


async def test_closing_the_poll_tells_open_pages_the_result(live_socket, topic, member, voter):
    poll = await sync_to_async(make_poll)(member, topic, results=Poll.Results.AFTER_CLOSE)
    town_hall = await sync_to_async(poll.options.get)(text="Rathaus")
    await sync_to_async(services.cast_vote)(voter, poll, [town_hall.pk])
    socket = await live_socket(f"/ws/forum/thema/{topic.pk}/", voter)

    await sync_to_async(services.close_poll)(member, poll)

    message = await receive_type(socket, "poll")
    assert "Ergebnis" in message["html"] and f'data-poll-count="{town_hall.pk}">1<' in message["html"]
