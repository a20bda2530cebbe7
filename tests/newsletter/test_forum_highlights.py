"""Forum highlights: chosen topics only if every reader may see them, or the most active public topics
since the list's previous edition; in MJML and plain text with absolute links."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from forum.models import Topic
from newsletter import services
from newsletter.delivery import lifecycle
from newsletter.edition_content import edition_warnings
from newsletter.rendering import compile_edition

from .conftest import SITE_URL


def highlights(topics=(), source="chosen", heading="Aus dem Forum", count=3):
    return ("forum_highlights", {"heading": heading, "source": source, "topics": list(topics), "count": count})


def test_chosen_public_topic_renders_with_absolute_links(make_edition, forum_topic):
    topic = forum_topic("Sprachförderung in der Kita")
    compiled = compile_edition(make_edition(body=[highlights([topic.pk])]))
    url = f"{SITE_URL}/forum/thema/{topic.pk}/"
    assert f'href="{url}"' in compiled.html and "Sprachförderung in der Kita" in compiled.html
    assert "AUS DEM FORUM" in compiled.text and url in compiled.text


def test_public_list_refuses_internal_and_unknown_topics_on_save(make_edition, forum_topic, make_body):
    internal = forum_topic("Nur für Fachkräfte", is_public=False)
    public = forum_topic("Offenes Thema")
    edition = make_edition(body=[highlights([public.pk])])
    edition.body = [highlights([public.pk, internal.pk, 999999])]
    with pytest.raises(ValidationError) as error:
        edition.full_clean()
    messages = " ".join(error.value.messages)
    assert (
        f"Thema {internal.pk}" in messages and "Thema 999999" in messages and "öffentlichen Forumsbereichen" in messages
    )
    assert f"Thema {public.pk} " not in messages


def test_internal_list_also_shows_only_public_topics(make_edition, newsletter, forum_topic, make_body):
    newsletter.public_subscribe = False
    newsletter.save()
    public = forum_topic("Offenes Thema")
    general = forum_topic("Allgemeines Fachforum", is_public=False)
    closed = forum_topic("Geschlossene Runde", is_public=False, body=make_body("Lenkungsrunde", members_only=True))
    edition = make_edition(body=[highlights([public.pk])])
    edition.full_clean()
    edition.body = [highlights([public.pk, general.pk, closed.pk])]
    with pytest.raises(ValidationError) as error:
        edition.full_clean()
    messages = " ".join(error.value.messages)
    assert f"Thema {general.pk} " in messages and f"Thema {closed.pk} " in messages
    assert f"Thema {public.pk} " not in messages


def test_topic_hidden_or_deleted_after_saving_is_dropped_and_the_preview_warns(make_edition, forum_topic):
    kept = forum_topic("Bleibt sichtbar")
    hidden = forum_topic("Wird ausgeblendet")
    deleted = forum_topic("Wird gelöscht")
    edition = make_edition(body=[highlights([kept.pk, hidden.pk, deleted.pk])])
    Topic.objects.filter(pk=hidden.pk).update(is_hidden=True)
    Topic.objects.filter(pk=deleted.pk).delete()

    compiled = compile_edition(edition)
    assert "Bleibt sichtbar" in compiled.html
    assert "Wird ausgeblendet" not in compiled.html + compiled.text and "Wird gelöscht" not in compiled.html
    warnings = edition_warnings(edition)
    assert len(warnings) == 2 and any(f"Thema {hidden.pk}" in warning for warning in warnings)


def test_block_of_only_invisible_topics_vanishes(make_edition, forum_topic):
    topic = forum_topic("Später intern")
    edition = make_edition(body=[("paragraph", "<p>Text</p>"), highlights([topic.pk])])
    Topic.objects.filter(pk=topic.pk).update(is_hidden=True)
    assert "AUS DEM FORUM" not in compile_edition(edition).text


def test_most_active_public_topics_since_the_previous_edition(make_edition, forum_topic, make_user):
    from forum.services import create_post

    old = forum_topic("Altes Thema")
    internal = forum_topic("Interner Austausch", is_public=False)
    previous = make_edition()
    send, _started = lifecycle.start_send(services.create_send(previous), enqueue=False)
    # The previous edition went out yesterday; the old topic's post came before it.
    yesterday = timezone.now() - timedelta(days=1)
    type(send).objects.filter(pk=send.pk).update(started_at=yesterday)
    old.posts.update(created_at=yesterday - timedelta(hours=1))
    busy = forum_topic("Viel diskutiert")
    quiet = forum_topic("Kurz erwähnt")
    for number in range(2):
        create_post(busy.author, busy, f"Antwort {number} im lebhaften Thema")
    for number in range(3):
        create_post(internal.author, internal, f"Interne Antwort {number}")

    edition = make_edition(body=[highlights(source="most_active", heading="Im Forum diskutiert")])
    text = compile_edition(edition).text
    assert text.index("Viel diskutiert") < text.index("Kurz erwähnt")
    assert "Altes Thema" not in text and "Interner Austausch" not in text
    assert quiet.title in text and edition_warnings(edition) == []


def test_editor_sees_the_problem_in_the_admin_instead_of_a_silent_gap(coordinator_client, make_edition, forum_topic):
    topic = forum_topic("Später ausgeblendet")
    edition = make_edition()
    edition.body = [highlights([topic.pk])]
    edition.save_revision().publish()
    Topic.objects.filter(pk=topic.pk).update(is_hidden=True)
    for name in ("preview", "prepare"):
        page = coordinator_client.get(reverse(f"newsletter_admin:{name}", args=[edition.pk])).content.decode()
        assert f"Thema {topic.pk} ist gelöscht, ausgeblendet oder nicht öffentlich" in page


def test_a_draft_with_an_invisible_topic_cannot_be_saved(make_edition, forum_topic):
    internal = forum_topic("Intern", is_public=False)
    edition = make_edition()
    edition.body = [highlights([internal.pk])]
    with pytest.raises(ValidationError):
        edition.save_revision()
