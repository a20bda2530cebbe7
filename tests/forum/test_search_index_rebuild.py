"""The SQLite index holds stems: the command (and migrations 0006 and 0010) index every post anew after a format
change."""

from django.core.management import call_command
from django.db import connection

from forum import search, services


def test_the_rebuild_command_indexes_every_findable_post_anew(professional, open_board):
    services.create_topic(professional, open_board, "Gefunden", "Das Kita-Portal ist online.")
    hidden = services.create_topic(professional, open_board, "Versteckt", "Das Kita-Portal ist offline.")
    # What the index held before stems: the Markdown, and an entry for every post.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM forum_post_fts")
        cursor.execute(
            "INSERT INTO forum_post_fts (rowid, title, body, board) "
            "SELECT p.id, 'Gefunden', 'Das Kita-Portal', 'b' || t.board_id FROM forum_post p "
            "JOIN forum_topic t ON t.id = p.topic_id"
        )
    hidden.posts.update(is_hidden=True)
    call_command("rebuild_forum_search_index")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM forum_post_fts")
        assert cursor.fetchone() == (1,)
    assert [post.topic.title for post in search.search_posts(professional, "Kita-Portal")] == ["Gefunden"]
