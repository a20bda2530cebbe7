"""Read queries of the newsletter: audiences, archive, subscriptions of an address, progress."""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from cms.selectors import attendees_of
from forum import selectors as forum_selectors
from network import access
from network.models import User

from .models import ConsentRecord, Delivery, Newsletter, NewsletterEdition, Send, Subscriber, Subscription


def public_page(page):
    """The specific page if anyone may see it (live, no view restriction), else None."""
    if page is None or not page.live:
        return None
    if not Page.objects.filter(pk=page.pk).public().exists():
        return None
    return page.specific


def _sent_edition_ids():
    return Send.objects.filter(status__in=[Send.Status.RUNNING, Send.Status.DONE]).values("edition_id")


def edition_visible_to(user, edition):
    """Sent editions of public lists are public; the others only for professionals."""
    if not NewsletterEdition.objects.filter(pk=edition.pk, pk__in=_sent_edition_ids()).exists():
        return access.is_editor(user)
    return edition.newsletter.public_subscribe or access.is_professional(user) or access.is_editor(user)


def archived_editions(user, parent=None):
    editions = NewsletterEdition.objects.live().filter(pk__in=_sent_edition_ids()).select_related("newsletter")
    if parent is not None:
        editions = editions.child_of(parent)
    if not (access.is_professional(user) or access.is_editor(user)):
        editions = editions.filter(newsletter__public_subscribe=True)
    return editions.order_by("-first_published_at")


def subscriber_for_email(email):
    return Subscriber.objects.filter(email__iexact=email).first()


def subscriptions_for_email(email):
    return (
        Subscription.objects.filter(subscriber__email__iexact=email)
        .select_related("newsletter")
        .order_by("newsletter__name")
    )


def excluded_addresses(newsletter):
    """Lower-cased addresses that must not get this list's mail through any audience."""
    bounced = Subscriber.objects.filter(status=Subscriber.Status.BOUNCED).annotate(key=Lower("email"))
    unsubscribed = Subscription.objects.filter(
        newsletter=newsletter, status=Subscription.Status.UNSUBSCRIBED
    ).annotate(key=Lower("subscriber__email"))
    return set(bounced.values_list("key", flat=True)) | set(unsubscribed.values_list("key", flat=True))


def audience(send):
    """{lower(email): (email, name)} for a send: the list plus the chosen extra audiences, deduplicated."""
    newsletter = send.edition.newsletter
    excluded = excluded_addresses(newsletter)
    recipients = {}

    def add(email, name):
        key = email.strip().lower()
        if not key or key in excluded:
            return
        known = recipients.get(key)
        if known is None or (not known[1] and name):
            recipients[key] = (email.strip(), name or "")

    # Plain rows, not models: a list has thousands of subscribers and only a few of them accounts.
    confirmed = list(
        Subscription.objects.filter(
            newsletter=newsletter, status=Subscription.Status.CONFIRMED, subscriber__status=Subscriber.Status.ACTIVE
        ).values_list("subscriber__email", "subscriber__name", "subscriber__user_id")
    )
    account_names = {
        user.pk: user.public_name
        for user in User.objects.filter(pk__in={user_id for _email, _name, user_id in confirmed if user_id})
    }
    for email, name, user_id in confirmed:
        add(email, account_names[user_id] if user_id else name)
    if send.pk:
        bodies = list(send.bodies.all())
        if bodies:
            for user in User.objects.filter(is_active=True, memberships__body__in=bodies).distinct():
                add(user.email, user.public_name)
    if send.event_id:
        for registration in attendees_of(send.event):
            add(registration.email, registration.name)
    if send.all_professionals:
        for user in User.objects.filter(is_active=True, approval=User.Approval.APPROVED):
            add(user.email, user.public_name)
    return recipients


def delivery_counts(send):
    counts = send.deliveries.aggregate(
        total=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in Delivery.Status.values},
    )
    return counts


def progress(send):
    """What the progress page and its JSON endpoint show."""
    counts = delivery_counts(send)
    # A bounced message was sent first; the bounce report only came later.
    sent = counts[Delivery.Status.SENT] + counts[Delivery.Status.BOUNCED]
    done = sent + counts[Delivery.Status.FAILED] + counts[Delivery.Status.SKIPPED]
    return {
        "status": send.status,
        "status_display": str(send.get_status_display()),
        "reason": send.status_reason,
        "total": counts["total"],
        "sent": sent,
        "failed": counts[Delivery.Status.FAILED],
        "skipped": counts[Delivery.Status.SKIPPED],
        "waiting": counts[Delivery.Status.QUEUED] + counts[Delivery.Status.SENDING],
        "percent": round(100 * done / counts["total"]) if counts["total"] else 0,
    }


def send_statistics(send):
    """The numbers of a send that need no tracking: what the servers answered and what readers did
    with the unsubscribe link since. Opens and clicks are not measured (no pixels, no redirect links)."""
    counts = delivery_counts(send)
    unsubscribed = 0
    if send.started_at is not None:
        unsubscribed = (
            Subscription.objects.filter(
                newsletter=send.edition.newsletter,
                status=Subscription.Status.UNSUBSCRIBED,
                unsubscribed_at__gte=send.started_at,
            )
            .annotate(key=Lower("subscriber__email"))
            .filter(key__in=send.deliveries.annotate(key=Lower("email")).values("key"))
            .count()
        )
    return {
        "delivered": counts[Delivery.Status.SENT],
        "failed": counts[Delivery.Status.FAILED],
        "bounced": counts[Delivery.Status.BOUNCED],
        "unsubscribed": unsubscribed,
    }


def consent_records(newsletter=None):
    records = ConsentRecord.objects.select_related("subscription__subscriber", "subscription__newsletter")
    if newsletter is not None:
        records = records.filter(subscription__newsletter=newsletter)
    return records.order_by("-given_at", "-pk")


def subscribable_newsletters(user):
    """Public lists for everyone; professionals may also join the lists meant for the network."""
    newsletters = Newsletter.objects.all()
    if not access.is_professional(user):
        newsletters = newsletters.filter(public_subscribe=True)
    return newsletters.order_by("name")


# --- Forum highlights ------------------------------------------------------------------------------

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


def previous_edition_sent_at(edition):
    """When the list's edition before this one went out, for "the most active topics since then"."""
    sends = Send.objects.filter(
        edition__newsletter_id=edition.newsletter_id, started_at__isnull=False, status__in=[Send.Status.RUNNING, Send.Status.DONE]
    ).exclude(edition_id=edition.pk)
    own_start = None if edition.pk is None else edition.sends.filter(started_at__isnull=False).order_by("started_at").values_list("started_at", flat=True).first()
    if own_start is not None:
        sends = sends.filter(started_at__lt=own_start)
    return sends.order_by("-started_at").values_list("started_at", flat=True).first()


def forum_highlights(value, edition):
    """The topics of a forum highlights block that every reader of the edition may see, in the chosen order."""
    from .blocks import ForumHighlightsBlock

    if value["source"] == ForumHighlightsBlock.MOST_ACTIVE:
        since = previous_edition_sent_at(edition) or timezone.now() - FIRST_EDITION_WINDOW
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
        if block.block_type != "forum_highlights" or block.value["source"] != "chosen":
            continue
        value = block.value
        if not value["topics"]:
            problems.append(_("„%(heading)s“: Es ist kein Thema ausgewählt.") % {"heading": value["heading"]})
            continue
        readable = set(readable_topics(newsletter).filter(pk__in=value["topics"]).values_list("pk", flat=True))
        problems += [message % {"heading": value["heading"], "number": pk} for pk in value["topics"] if pk not in readable]
    return problems


def edition_warnings(edition):
    """What the preview tells the editor: topics that will be left out and blocks that will be empty."""
    warnings = invalid_forum_topics(edition)
    for block in edition.body:
        if block.block_type == "forum_highlights" and block.value["source"] == "most_active":
            if not forum_highlights(block.value, edition):
                warnings.append(
                    _("„%(heading)s“: Seit der letzten Ausgabe gab es keine Beiträge in öffentlichen Themen; der Block entfällt.")
                    % {"heading": block.value["heading"]}
                )
    return warnings
