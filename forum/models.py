import secrets
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.storages import private_storage


class Board(models.Model):
    class Kind(models.TextChoices):
        BODY = "body", _("Forum eines Gremiums")
        GENERAL = "general", _("Allgemeiner Bereich")
        PINBOARD = "pinboard", _("Pinnwand für Angebote und Gesuche")
        ANNOUNCEMENTS = "announcements", _("Ankündigungen")

    name = models.CharField(_("Name"), max_length=160)
    slug = models.SlugField(max_length=160, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    body = models.OneToOneField(
        "network.NetworkBody",
        verbose_name=_("Gremium"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="forum_board",
    )
    is_public = models.BooleanField(
        _("öffentlich lesbar"), default=False, help_text=_("Auch nicht angemeldete Besucher können die Beiträge lesen.")
    )
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)
    # Counters and the latest topic are kept by the services so that the board list needs no aggregate per board.
    topic_count = models.PositiveIntegerField(default=0)
    post_count = models.PositiveIntegerField(default=0)
    last_topic = models.ForeignKey("Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_post_at = models.DateTimeField(null=True, blank=True)

    # Set by forum.selectors for the board list; declared for the type checker only.
    unread_count: int

    class Meta:
        verbose_name = _("Forumsbereich")
        verbose_name_plural = _("Forumsbereiche")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forum:board_detail", args=[self.slug])


class Tag(models.Model):
    name = models.CharField(_("Name"), max_length=50, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        verbose_name = _("Schlagwort")
        verbose_name_plural = _("Schlagwörter")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forum:tag_detail", args=[self.slug])


class Topic(models.Model):
    board = models.ForeignKey(Board, verbose_name=_("Bereich"), on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("Titel"), max_length=200)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    tags = models.ManyToManyField(Tag, verbose_name=_("Schlagwörter"), blank=True, related_name="topics")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_post_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_post_number = models.PositiveIntegerField(default=0)
    post_count = models.PositiveIntegerField(default=0)
    is_pinned = models.BooleanField(_("angeheftet"), default=False)
    # Closed for replies (the moderation still writes); once two flags with the same meaning, merged in 0007.
    is_locked = models.BooleanField(_("gesperrt"), default=False)
    is_question = models.BooleanField(_("Frage"), default=False)
    is_hidden = models.BooleanField(_("ausgeblendet"), default=False)
    accepted_post = models.ForeignKey("Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    # Set by forum.selectors.topic_for_page for the topic page; declared for the type checker only.
    tag_list: list["Tag"]

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["-is_pinned", "-last_post_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forum:topic_detail", args=[self.pk])

    @property
    def is_solved(self):
        return self.accepted_post_id is not None

    @property
    def is_open_for_replies(self):
        return not self.is_locked


class Post(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField(db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="forum_posts"
    )
    markdown = models.TextField(_("Text"))
    html = models.TextField(editable=False)
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    revision_count = models.PositiveIntegerField(default=0)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_hidden = models.BooleanField(_("ausgeblendet"), default=False)
    # Most posts have no files: a page of them then needs no query for attachments.
    has_attachments = models.BooleanField(default=False, editable=False)

    # Set by forum.selectors for a page of posts; declared for the type checker only.
    attachment_list: list["Attachment"]
    reaction_tally: list[dict[str, Any]]

    class Meta:
        verbose_name = _("Beitrag")
        verbose_name_plural = _("Beiträge")
        ordering = ["topic", "number"]
        indexes = [
            models.Index(fields=["author", "created_at"]),
            # A page of a topic is a range of post numbers; without this a long topic is scanned whole.
            models.Index(fields=["topic", "number"], name="forum_post_topic_number"),
            # SQLite's search finds the board of each match through it without reading the post's text
            # (forum.search._candidates_sqlite).
            models.Index(fields=["id", "topic"], name="forum_post_id_topic"),
        ]

    def __str__(self):
        return f"{self.topic} #{self.number}"

    def get_absolute_url(self):
        return reverse("forum:post_permalink", args=[self.pk])

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def anchor(self):
        return f"beitrag-{self.number}"

    @property
    def live_version(self):
        """Changes with every edit, deletion and hiding: a page that reconnects names the version
        of each post it shows and is sent the ones that changed while it was away."""
        return f"{self.revision_count}{'d' if self.is_deleted else ''}{'h' if self.is_hidden else ''}"


class PostSearchEntry(models.Model):
    """PostgreSQL's search index (forum.search): a row per post that may be found, with its board and its words.

    Narrow on purpose: a search for a common word walks these rows newest first, or fetches every match, and the
    posts' own rows carry their Markdown and HTML. Unused on SQLite, whose index is the FTS5 table."""

    post = models.OneToOneField(Post, primary_key=True, on_delete=models.CASCADE, related_name="+")
    board_id = models.IntegerField()
    vector = SearchVectorField()

    class Meta:
        db_table = "forum_post_search"
        # The GIN index on the vector is PostgreSQL's only: migration 0011 makes it.
        indexes = [models.Index(fields=["board_id", "post"], name="forum_post_search_board")]


class Poll(models.Model):
    """A vote attached to a topic (Discourse-style): one question, fixed options, open until closed."""

    class Results(models.TextChoices):
        ALWAYS = "always", _("immer sichtbar")
        AFTER_VOTE = "after_vote", _("nach der eigenen Stimmabgabe")
        AFTER_CLOSE = "after_close", _("erst nach dem Ende der Abstimmung")

    topic = models.OneToOneField(Topic, on_delete=models.CASCADE, related_name="poll")
    question = models.CharField(_("Frage"), max_length=300)
    allows_multiple = models.BooleanField(_("Mehrfachauswahl"), default=False)
    closes_at = models.DateTimeField(_("Abstimmung endet am"), null=True, blank=True)
    # Secret: only counts are shown; public: who chose what, to everyone who sees the results.
    is_secret = models.BooleanField(_("geheime Abstimmung"), default=True)
    results = models.CharField(_("Ergebnis sichtbar"), max_length=12, choices=Results.choices, default=Results.ALWAYS)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Abstimmung")
        verbose_name_plural = _("Abstimmungen")

    def __str__(self):
        return self.question

    @property
    def is_open(self):
        return self.closed_at is None and (self.closes_at is None or timezone.now() < self.closes_at)


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("Antwortmöglichkeit"), max_length=200)

    class Meta:
        ordering = ["poll", "position", "pk"]

    def __str__(self):
        return self.text


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poll_votes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["option", "user"], name="one_vote_per_option_and_person")]
        indexes = [models.Index(fields=["poll", "user"])]


class PostRevision(models.Model):
    """The text a post had before an edit; the newest text stays on the post itself."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    markdown = models.TextField()
    html = models.TextField()
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]


def attachment_path(instance, filename):
    # The stored name is random: the uploader's file name never reaches the file system.
    return f"forum/anhaenge/{timezone.now():%Y/%m}/{secrets.token_hex(16)}"


class Attachment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, storage=private_storage)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("Anhang")
        verbose_name_plural = _("Anhänge")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("forum:attachment", args=[self.pk])


REACTION_EMOJI = {"thumbs_up": "👍", "heart": "❤️", "party": "🎉", "idea": "💡", "thanks": "🙏"}


class Reaction(models.Model):
    class Kind(models.TextChoices):
        THUMBS_UP = "thumbs_up", _("Daumen hoch")
        HEART = "heart", _("Herz")
        PARTY = "party", _("Feiern")
        IDEA = "idea", _("Gute Idee")
        THANKS = "thanks", _("Danke")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user", "kind"], name="one_reaction_per_kind")]


class TopicRead(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="reads")
    last_read_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="one_read_state_per_topic")]


class WatchLevel(models.TextChoices):
    WATCHING = "watching", _("beobachten")
    NORMAL = "normal", _("normal")
    MUTED = "muted", _("stummgeschaltet")


class BoardSubscription(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="subscriptions")
    level = models.CharField(max_length=10, choices=WatchLevel.choices, default=WatchLevel.WATCHING)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "board"], name="one_board_subscription")]


class TopicSubscription(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="subscriptions")
    level = models.CharField(max_length=10, choices=WatchLevel.choices, default=WatchLevel.WATCHING)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="one_topic_subscription")]


class TagFollow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="followers")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tag"], name="one_tag_follow")]


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", _("Antwort auf Ihren Beitrag")
        MENTION = "mention", _("Erwähnung")
        NEW_TOPIC = "new_topic", _("Neues Thema in einem beobachteten Bereich")
        WATCHED_REPLY = "watched_reply", _("Neuer Beitrag in einem beobachteten Thema")
        ACCEPTED = "accepted", _("Ihre Antwort wurde als Lösung markiert")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set once the notification went out by e-mail, alone or in a digest.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "post", "kind"], name="one_notification_per_event")]


class Report(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        RESOLVED = "resolved", _("erledigt")
        DISMISSED = "dismissed", _("zurückgewiesen")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("Grund"), max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class Suspension(models.Model):
    """A person may read but not write until `until`: in one board, or (without a board) in the whole forum."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_suspensions")
    board = models.ForeignKey(
        Board,
        verbose_name=_("Bereich"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="suspensions",
        help_text=_("Leer: im ganzen Forum."),
    )
    until = models.DateTimeField(_("gesperrt bis"))
    reason = models.TextField(_("Grund"), max_length=1000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-until"]


class AuditLog(models.Model):
    class Action(models.TextChoices):
        HIDE_POST = "hide_post", _("Beitrag ausgeblendet")
        RESTORE_POST = "restore_post", _("Beitrag wieder eingeblendet")
        DELETE_POST = "delete_post", _("Beitrag gelöscht")
        EDIT_POST = "edit_post", _("Beitrag einer anderen Person bearbeitet")
        LOCK_TOPIC = "lock_topic", _("Thema gesperrt")
        UNLOCK_TOPIC = "unlock_topic", _("Thema entsperrt")
        PIN_TOPIC = "pin_topic", _("Thema angeheftet")
        UNPIN_TOPIC = "unpin_topic", _("Thema nicht mehr angeheftet")
        # No longer written (closing is locking since 0007); kept so that old entries keep their label.
        CLOSE_TOPIC = "close_topic", _("Thema geschlossen")
        REOPEN_TOPIC = "reopen_topic", _("Thema wieder geöffnet")
        MOVE_TOPIC = "move_topic", _("Thema verschoben")
        MERGE_TOPIC = "merge_topic", _("Themen zusammengeführt")
        SPLIT_TOPIC = "split_topic", _("Thema geteilt")
        SUSPEND_USER = "suspend_user", _("Person gesperrt")
        RESOLVE_REPORT = "resolve_report", _("Meldung bearbeitet")
        CLOSE_POLL = "close_poll", _("Abstimmung vorzeitig beendet")

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    board = models.ForeignKey(Board, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_type = models.CharField(max_length=40)
    target_id = models.PositiveBigIntegerField()
    target_label = models.CharField(max_length=250)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Moderationsprotokoll")
        verbose_name_plural = _("Moderationsprotokoll")
        ordering = ["-created_at", "-pk"]
