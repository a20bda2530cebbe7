"""Polls in topics: the author (or the moderation) adds one, members vote and change their vote while it
is open, the results show as the poll says, and the author or the moderation can end it early."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum import services
from forum.models import AuditLog, Poll, PollVote


@pytest.fixture
def topic(member, closed_board):
    return services.create_topic(member, closed_board, "Termin für den Fachtag", "Wann passt es Ihnen?")


def make_poll(member, topic, **options):
    return services.create_poll(member, topic, "Welcher Tag passt?", ["Montag", "Mittwoch", "Freitag"], **options)


def option(poll, text):
    return poll.options.get(text=text)


def test_the_author_adds_a_poll_that_shows_a_ballot_on_the_topic_page(logged_in, member, topic):
    browser = logged_in(member)
    assert "Abstimmung hinzufügen" in browser.get(topic.get_absolute_url()).content.decode()

    response = browser.post(
        f"/forum/thema/{topic.pk}/abstimmung/",
        {
            "question": "Welcher Tag passt?",
            "options": "Montag\n\nMittwoch\nmontag\nFreitag",
            "is_secret": "on",
            "results": "always",
        },
        follow=True,
    )

    html = response.content.decode()
    assert "Die Abstimmung ist angelegt." in html
    assert "Welcher Tag passt?" in html and 'type="radio" name="options"' in html
    poll = Poll.objects.get(topic=topic)
    # Empty lines and a repeated option (whatever its case) are left out.
    assert [o.text for o in poll.options.all()] == ["Montag", "Mittwoch", "Freitag"]
    assert poll.is_secret and not poll.allows_multiple
    assert "Abstimmung hinzufügen" not in html


def test_a_member_votes_changes_the_vote_and_withdraws_it(logged_in, colleague, member, topic):
    poll = make_poll(member, topic)
    browser = logged_in(colleague)

    html = browser.post(
        f"/forum/abstimmung/{poll.pk}/abstimmen/", {"options": [option(poll, "Montag").pk]}, follow=True
    ).content.decode()
    assert "Ihre Stimme ist gezählt." in html
    assert "1 Person hat abgestimmt." in html and "Stimme ändern" in html

    browser.post(f"/forum/abstimmung/{poll.pk}/abstimmen/", {"options": [option(poll, "Freitag").pk]})
    assert list(PollVote.objects.filter(poll=poll).values_list("option__text", flat=True)) == ["Freitag"]

    html = browser.post(f"/forum/abstimmung/{poll.pk}/zurueckziehen/", follow=True).content.decode()
    assert "Ihre Stimme ist zurückgezogen." in html and "0 Personen haben abgestimmt." in html
    assert not PollVote.objects.filter(poll=poll).exists()


def test_a_multiple_choice_poll_counts_people_not_ticks(logged_in, colleague, member, topic):
    poll = make_poll(member, topic, allows_multiple=True)
    services.cast_vote(member, poll, [option(poll, "Montag").pk, option(poll, "Mittwoch").pk])
    services.cast_vote(colleague, poll, [option(poll, "Montag").pk])

    html = logged_in(colleague).get(topic.get_absolute_url()).content.decode()

    assert 'type="checkbox" name="options"' in html
    assert "2 Personen haben abgestimmt." in html
    assert f'data-poll-count="{option(poll, "Montag").pk}">2<' in html
    assert "100 %" in html and "50 %" in html


@pytest.mark.parametrize(
    "choice, message",
    [
        ("two", "In dieser Abstimmung können Sie nur eine Antwort wählen."),
        ("foreign", "Diese Antwort gehört nicht zu der Abstimmung."),
        ("none", "Bitte wählen Sie eine Antwort."),
        ("garbage", "Diese Antwort gehört nicht zu der Abstimmung."),
    ],
)
def test_a_bad_ballot_is_refused_with_a_message_and_keeps_the_earlier_vote(
    logged_in, colleague, member, topic, closed_board, choice, message
):
    poll = make_poll(member, topic)
    services.cast_vote(colleague, poll, [option(poll, "Mittwoch").pk])
    other_topic = services.create_topic(member, closed_board, "Anderes Thema", "Text")
    other = services.create_poll(member, other_topic, "Andere Frage?", ["Ja", "Nein"])
    data = {
        "two": {"options": [option(poll, "Montag").pk, option(poll, "Freitag").pk]},
        "foreign": {"options": [option(other, "Ja").pk]},
        "none": {},
        "garbage": {"options": ["x' OR 1=1", "99999999999999999999999"]},
    }[choice]

    html = logged_in(colleague).post(f"/forum/abstimmung/{poll.pk}/abstimmen/", data, follow=True).content.decode()

    assert message in html
    assert list(PollVote.objects.filter(poll=poll).values_list("option__text", flat=True)) == ["Mittwoch"]


def test_a_public_poll_names_the_voters_and_a_secret_one_does_not(logged_in, colleague, member, topic, closed_board):
    public = make_poll(member, topic, is_secret=False)
    services.cast_vote(colleague, public, [option(public, "Freitag").pk])
    secret_topic = services.create_topic(member, closed_board, "Geheim", "Text")
    secret = services.create_poll(member, secret_topic, "Geheime Frage?", ["Ja", "Nein"])
    services.cast_vote(colleague, secret, [option(secret, "Ja").pk])
    browser = logged_in(member)

    public_html = browser.get(topic.get_absolute_url()).content.decode()
    secret_html = browser.get(secret_topic.get_absolute_url()).content.decode()

    assert "offen: alle sehen, wer was gewählt hat" in public_html and "Kai Kollege" in public_html
    assert "geheim: nur Zahlen, keine Namen" in secret_html and "1 Person hat abgestimmt." in secret_html
    assert "Kai Kollege" not in secret_html


def test_results_after_the_vote_are_hidden_until_the_person_voted(logged_in, colleague, member, topic):
    poll = make_poll(member, topic, results=Poll.Results.AFTER_VOTE)
    services.cast_vote(member, poll, [option(poll, "Montag").pk])
    browser = logged_in(colleague)

    before = browser.get(topic.get_absolute_url()).content.decode()
    assert "Das Ergebnis sehen Sie, sobald Sie abgestimmt haben." in before
    assert "Person hat abgestimmt" not in before

    after = browser.post(
        f"/forum/abstimmung/{poll.pk}/abstimmen/", {"options": [option(poll, "Montag").pk]}, follow=True
    ).content.decode()
    assert "2 Personen haben abgestimmt." in after


def test_results_after_closing_appear_once_the_author_ends_the_poll(logged_in, colleague, member, topic):
    poll = make_poll(member, topic, results=Poll.Results.AFTER_CLOSE)
    services.cast_vote(colleague, poll, [option(poll, "Freitag").pk])
    assert "Das Ergebnis wird nach dem Ende der Abstimmung gezeigt." in (
        logged_in(colleague).get(topic.get_absolute_url()).content.decode()
    )

    html = logged_in(member).post(f"/forum/abstimmung/{poll.pk}/beenden/", follow=True).content.decode()

    assert "Die Abstimmung ist beendet." in html and "beendet" in html
    assert "1 Person hat abgestimmt." in html and "Ergebnis" in html
    # The author ends their own poll: no moderation entry.
    assert not AuditLog.objects.filter(action=AuditLog.Action.CLOSE_POLL).exists()


def test_a_closed_poll_takes_no_more_votes(logged_in, colleague, member, topic):
    poll = make_poll(member, topic)
    services.close_poll(member, poll)

    html = (
        logged_in(colleague)
        .post(f"/forum/abstimmung/{poll.pk}/abstimmen/", {"options": [option(poll, "Montag").pk]}, follow=True)
        .content.decode()
    )

    assert "Diese Abstimmung ist beendet. Stimmen werden nicht mehr angenommen." in html
    assert not PollVote.objects.exists()
    assert 'name="options"' not in html and "0 Personen haben abgestimmt." in html


def test_a_poll_past_its_end_date_takes_no_more_votes(colleague, member, topic):
    poll = make_poll(member, topic, closes_at=timezone.now() + timedelta(hours=1))
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    poll.refresh_from_db()

    with pytest.raises(Exception, match="Diese Abstimmung ist beendet"):
        services.cast_vote(colleague, poll, [option(poll, "Montag").pk])
    assert not PollVote.objects.exists()


def test_another_member_cannot_end_the_poll_but_the_moderation_can_and_it_is_logged(
    logged_in, colleague, member, moderator, topic
):
    poll = make_poll(member, topic)

    html = logged_in(colleague).post(f"/forum/abstimmung/{poll.pk}/beenden/", follow=True).content.decode()
    assert "Beenden können nur die Person, die die Abstimmung angelegt hat, und die Moderation." in html
    poll.refresh_from_db()
    assert poll.is_open

    logged_in(moderator).post(f"/forum/abstimmung/{poll.pk}/beenden/")
    poll.refresh_from_db()
    assert not poll.is_open and poll.closed_by == moderator
    entry = AuditLog.objects.get(action=AuditLog.Action.CLOSE_POLL)
    assert entry.actor == moderator and entry.target_label == "Welcher Tag passt?"


def test_only_the_author_or_the_moderation_adds_a_poll_and_only_one(logged_in, colleague, member, topic):
    response = logged_in(colleague).get(f"/forum/thema/{topic.pk}/abstimmung/")
    assert response.status_code == 403
    assert "Eine Abstimmung können nur die Person, die das Thema eröffnet hat" in response.content.decode()

    make_poll(member, topic)
    response = logged_in(member).get(f"/forum/thema/{topic.pk}/abstimmung/")
    assert response.status_code == 403 and "Dieses Thema hat schon eine Abstimmung." in response.content.decode()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"question": "Frage?", "options": "Nur eine", "results": "always"}, "mindestens zwei verschiedene"),
        ({"question": "   ", "options": "A\nB", "results": "always"}, "Bitte stellen Sie eine Frage."),
        (
            {"question": "Frage?", "options": "A\nB", "results": "always", "closes_at": "2020-01-01T10:00"},
            "Das Ende der Abstimmung muss in der Zukunft liegen.",
        ),
        (
            {"question": "Frage?", "options": "\n".join(f"Tag {n}" for n in range(21)), "results": "always"},
            "höchstens 20",
        ),
    ],
)
def test_a_bad_poll_is_refused_with_a_message_and_nothing_is_stored(logged_in, member, topic, data, message):
    response = logged_in(member).post(f"/forum/thema/{topic.pk}/abstimmung/", data)

    assert response.status_code == 200 and message in response.content.decode()
    assert not Poll.objects.exists()


def test_a_person_who_cannot_see_the_topic_cannot_vote(logged_in, make_user, member, topic):
    poll = make_poll(member, topic)
    outsider = make_user()

    response = logged_in(outsider).post(
        f"/forum/abstimmung/{poll.pk}/abstimmen/", {"options": [poll.options.first().pk]}
    )

    assert response.status_code == 403
    assert not PollVote.objects.exists()
