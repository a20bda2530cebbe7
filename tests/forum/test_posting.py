import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from forum import services
from forum.models import AuditLog, Board, Post, PostRevision, Reaction

# The topic page and the posting services have database-specific queries (JSON aggregates, locks).
pytestmark = pytest.mark.both_databases


@pytest.fixture
def board(open_board):
    return open_board


def test_a_professional_opens_a_topic_with_tags_and_a_rendered_first_post(professional, board):
    topic = services.create_topic(
        professional, board, "Fachtag Inklusion", "Wer kommt **mit**?", tags=["Kita", "Inklusion"]
    )
    post = topic.posts.get()
    assert post.number == 1
    assert "<strong>mit</strong>" in post.html
    assert sorted(tag.name for tag in topic.tags.all()) == ["Inklusion", "Kita"]
    board.refresh_from_db()
    assert (board.topic_count, board.post_count, board.last_topic) == (1, 1, topic)


def test_replies_are_numbered_and_counted(professional, member, board, make_user):
    topic = services.create_topic(professional, board, "Frage", "Text eins")
    other = make_user()
    services.create_post(other, topic, "Antwort zwei")
    topic.refresh_from_db()
    assert list(topic.posts.values_list("number", flat=True)) == [1, 2]
    assert topic.post_count == 2 and topic.last_post_number == 2


def test_the_reply_form_quotes_the_post_and_its_author(client, professional, board):
    topic = services.create_topic(professional, board, "Zitate", "Erste Zeile\nZweite Zeile")
    client.force_login(professional)
    response = client.get(reverse("forum:topic_reply", args=[topic.pk]) + f"?zitat={topic.posts.get().pk}")
    assert "&gt; Erste Zeile\n&gt; Zweite Zeile" in response.content.decode()


def test_posting_through_the_form_redirects_to_the_new_post(client, professional, board):
    topic = services.create_topic(professional, board, "Formular", "Start")
    client.force_login(professional)
    response = client.post(reverse("forum:topic_reply", args=[topic.pk]), {"text": "Danke!"})
    post = topic.posts.get(number=2)
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()


def test_editing_keeps_the_old_text_as_a_revision(professional, board):
    topic = services.create_topic(professional, board, "Entwurf", "alt")
    post = topic.posts.get()
    services.edit_post(professional, post, "neu")
    post.refresh_from_db()
    assert post.markdown == "neu" and post.revision_count == 1 and post.edited_at
    assert PostRevision.objects.get(post=post).markdown == "alt"


def test_someone_else_cannot_edit_a_post_but_its_moderator_can_and_is_logged(
    professional, make_user, closed_board, member, moderator
):
    topic = services.create_topic(member, closed_board, "Intern", "Text")
    post = topic.posts.get()
    other_member = make_user()
    with pytest.raises(PermissionDenied):
        services.edit_post(other_member, post, "fremd")
    services.edit_post(moderator, post, "korrigiert")
    assert AuditLog.objects.filter(action=AuditLog.Action.EDIT_POST, actor=moderator).exists()


def test_a_deleted_post_shows_as_deleted_and_keeps_its_place(client, professional, board, make_user):
    topic = services.create_topic(professional, board, "Löschen", "Start")
    reply = services.create_post(make_user(), topic, "Geheimnis 4711")
    services.delete_post(reply.author, reply)
    client.force_login(professional)
    content = client.get(topic.get_absolute_url()).content.decode()
    assert "Beitrag gelöscht" in content and "Geheimnis 4711" not in content


def test_reactions_toggle(professional, board, make_user):
    topic = services.create_topic(professional, board, "Reaktionen", "Start")
    fan = make_user()
    post = topic.posts.get()
    assert services.toggle_reaction(fan, post, Reaction.Kind.HEART) is True
    assert services.toggle_reaction(fan, post, Reaction.Kind.HEART) is False
    assert not Reaction.objects.exists()


def test_the_asker_marks_an_answer_as_the_solution(professional, board, make_user):
    topic = services.create_topic(professional, board, "Frage?", "Wie geht das?", is_question=True)
    answer = services.create_post(make_user(), topic, "So.")
    services.accept_answer(professional, topic, answer)
    topic.refresh_from_db()
    assert topic.is_solved and topic.accepted_post == answer


def test_a_locked_topic_takes_no_replies(professional, board, make_user):
    topic = services.create_topic(professional, board, "Zu", "Text")
    topic.is_locked = True
    topic.save()
    with pytest.raises(PermissionDenied, match="geschlossen"):
        services.create_post(make_user(), topic, "Noch was")


@pytest.mark.parametrize(
    ("title", "text", "message"),
    [
        ("Titel", "   ", "Bitte schreiben Sie einen Text"),
        ("Titel", "x" * 20_001, "zu lang"),
        ("Evil\u202etxt.exe", "Text", "Schreibrichtung"),
        ("Null\x00Byte", "Text", "Steuerzeichen"),
        ("Titel", "Text mit \u2066Isolat", "Schreibrichtung"),
        ("   ", "Text", "Titel"),
    ],
)
def test_bad_input_is_rejected_with_a_german_message_and_nothing_is_stored(professional, board, title, text, message):
    with pytest.raises(ValidationError, match=message):
        services.create_topic(professional, board, title, text)
    assert not Post.objects.exists()


def test_the_topic_form_shows_errors_instead_of_saving(client, professional, board):
    client.force_login(professional)
    response = client.post(reverse("forum:topic_create", args=[board.slug]), {"title": "A\u202eB", "text": ""})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Schreibrichtung" in content and "Bitte schreiben Sie einen Text" in content


def test_a_suspended_person_cannot_post(professional, board, coordination):
    services.suspend_user(coordination, professional, 3, "Beleidigungen")
    with pytest.raises(PermissionDenied):
        services.create_topic(professional, board, "Trotzdem", "Text")


def test_a_pending_account_cannot_open_topics(pending_user):
    board = Board.objects.get(slug="allgemeiner-austausch")
    with pytest.raises(PermissionDenied):
        services.create_topic(pending_user, board, "Hallo", "Text")
