"""What the blocks of an edition show: public pages and the forum topics every reader may see.

The blocks (newsletter.blocks) and the edition's checks (NewsletterEdition.clean, the preview's
warnings) read through here; it uses no newsletter model, so the models can hold the blocks.
"""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from forum import selectors as forum_selectors

# The two sources of a forum highlights block.
CHOSEN = "chosen"
MOST_ACTIVE = "most_active"


def public_page(page):
    """The specific page if anyone may see it (live, no view restriction), else None."""
    if page is None or not page.live:
        return None
    if not Page.objects.filter(pk=page.pk).public().exists():
        return None
    return page.specific


# Without a previous edition, "since the last edition" means the last four weeks.
FIRST_EDITION_WINDOW = timedelta(days=28)


def least_privileged_reader(newsletter):
    """Stands for every reader of the list, so the forum's own rules decide what all of them may see.

    Even an internal list can reach people without a professional account (imported subscribers,
    event attendees added to a send) and mails get forwarded: only what anonymous visitors may
    read goes into a newsletter.
    """
    return AnonymousUser()


def readable_topics(newsletter):
    return forum_selectors.visible_topics(least_privileged_reader(newsletter)).filter(is_hidden=False)


def forum_highlights(value, edition):
    """The topics of a forum highlights block that every reader of the edition may see, in the chosen order."""
    if value["source"] == MOST_ACTIVE:
        since = edition.previous_sent_at() or timezone.now() - FIRST_EDITION_WINDOW
        return forum_selectors.most_active_public_topics(since=since, limit=value.get("count") or 3)
    ids = list(value["topics"])
    found = readable_topics(edition.newsletter).filter(pk__in=ids).select_related("board").in_bulk()
    return [found[pk] for pk in ids if pk in found]


def invalid_forum_topics(edition):
    """Chosen topics that not every reader of the edition may see (or that are gone): one German sentence each."""
    newsletter = edition.newsletter
    message = _(
        "„%(heading)s“: Thema %(number)s ist gelöscht, ausgeblendet oder nicht öffentlich. "
        "Ein Newsletter zeigt nur Themen aus öffentlichen Forumsbereichen."
    )
    problems = []
    for block in edition.body:
        if block.block_type != "forum_highlights" or block.value["source"] != CHOSEN:
            continue
        value = block.value
        if not value["topics"]:
            problems.append(_("„%(heading)s“: Es ist kein Thema ausgewählt.") % {"heading": value["heading"]})
            continue
        readable = set(readable_topics(newsletter).filter(pk__in=value["topics"]).values_list("pk", flat=True))
        problems += [
            message % {"heading": value["heading"], "number": pk} for pk in value["topics"] if pk not in readable
        ]
    return problems


def edition_warnings(edition):
    """What the preview tells the editor: topics that will be left out and blocks that will be empty."""
    warnings = invalid_forum_topics(edition)
    for block in edition.body:
        if block.block_type == "forum_highlights" and block.value["source"] == MOST_ACTIVE:
            if not forum_highlights(block.value, edition):
                warnings.append(
                    _(
                        "„%(heading)s“: Seit der letzten Ausgabe gab es keine Beiträge in öffentlichen Themen; der Block entfällt."
                    )
                    % {"heading": block.value["heading"]}
                )
    return warnings
