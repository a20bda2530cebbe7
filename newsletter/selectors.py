"""Read queries of the newsletter: audiences, archive, subscriptions of an address, progress."""

from django.db.models import Count, Q
from django.db.models.functions import Lower
from wagtail.models import Page

from cms.selectors import attendees_of
from network import access
from network.models import User

from .models import Delivery, Newsletter, NewsletterEdition, Send, Subscriber, Subscription


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

    confirmed = Subscription.objects.filter(
        newsletter=newsletter, status=Subscription.Status.CONFIRMED, subscriber__status=Subscriber.Status.ACTIVE
    ).select_related("subscriber__user")
    for subscription in confirmed:
        user = subscription.subscriber.user
        add(subscription.subscriber.email, user.public_name if user else "")
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
    done = counts[Delivery.Status.SENT] + counts[Delivery.Status.FAILED] + counts[Delivery.Status.SKIPPED]
    return {
        "status": send.status,
        "status_display": str(send.get_status_display()),
        "reason": send.status_reason,
        "total": counts["total"],
        "sent": counts[Delivery.Status.SENT],
        "failed": counts[Delivery.Status.FAILED],
        "skipped": counts[Delivery.Status.SKIPPED],
        "waiting": counts[Delivery.Status.QUEUED] + counts[Delivery.Status.SENDING],
        "percent": round(100 * done / counts["total"]) if counts["total"] else 0,
    }


def subscribable_newsletters(user):
    """Public lists for everyone; professionals may also join the lists meant for the network."""
    newsletters = Newsletter.objects.all()
    if not access.is_professional(user):
        newsletters = newsletters.filter(public_subscribe=True)
    return newsletters.order_by("name")
