"""Read queries of the newsletter: audiences, archive, subscriptions of an address, progress."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower

from cms.selectors import attendees_of
from core.permissions import Viewer
from network import access
from network.models import User

from .models import ConsentRecord, Delivery, Newsletter, Send, Subscriber, Subscription


def subscriber_for_email(email: str) -> Subscriber | None:
    return Subscriber.objects.filter(email__iexact=email).first()


def subscriptions_for_email(email: str) -> QuerySet[Subscription]:
    return (
        Subscription.objects.filter(subscriber__email__iexact=email)
        .select_related("newsletter")
        .order_by("newsletter__name")
    )


def _excluded(newsletter: Newsletter) -> Q:
    """Subscribers who must not get this list's mail through any audience: bounced anywhere or unsubscribed
    from this list."""
    return Q(status=Subscriber.Status.BOUNCED) | Q(
        subscriptions__newsletter=newsletter, subscriptions__status=Subscription.Status.UNSUBSCRIBED
    )


def excluded_addresses(newsletter: Newsletter) -> set[str]:
    """Lower-cased addresses that must not get this list's mail through any audience."""
    excluded = Subscriber.objects.annotate(key=Lower("email")).filter(_excluded(newsletter))
    return set(excluded.values_list("key", flat=True))


def excluded_among(newsletter: Newsletter, addresses: Iterable[str] | QuerySet) -> set[str]:
    """Those of `addresses` (lower-cased) that must not get this list's mail: `excluded_addresses`, asked only
    for a batch's addresses, through the index on the lower-cased address, whatever the size of the list.
    `addresses` may be a query of lower-cased addresses (one column), which the database reads as a subquery."""
    if isinstance(addresses, QuerySet):
        keys: Iterable[str] | QuerySet = addresses
    else:
        keys = {address.lower() for address in addresses}
        if not keys:
            return set()
    excluded = Subscriber.objects.annotate(key=Lower("email")).filter(key__in=keys).filter(_excluded(newsletter))
    return set(excluded.values_list("key", flat=True))


def audience(send: Send) -> dict[str, tuple[str, str]]:
    """{lower(email): (email, name)} for a send: the list plus the chosen extra audiences, deduplicated."""
    newsletter = send.edition.newsletter
    excluded = excluded_addresses(newsletter)
    recipients: dict[str, tuple[str, str]] = {}

    def add(email: str, name: str | None) -> None:
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
    if send.event is not None:
        for registration in attendees_of(send.event):
            add(registration.email, registration.name)
    if send.all_professionals:
        for user in User.objects.filter(is_active=True, approval=User.Approval.APPROVED):
            add(user.email, user.public_name)
    return recipients


def delivery_counts(send: Send) -> dict[str, int]:
    counts = send.deliveries.aggregate(
        total=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in Delivery.Status.values},
    )
    return counts


def progress(send: Send) -> dict[str, Any]:
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


def send_statistics(send: Send) -> dict[str, Any]:
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


def consent_records(newsletter: Newsletter | None = None) -> QuerySet[ConsentRecord]:
    records = ConsentRecord.objects.select_related("subscription__subscriber", "subscription__newsletter")
    if newsletter is not None:
        records = records.filter(subscription__newsletter=newsletter)
    return records.order_by("-given_at", "-pk")


def subscribable_newsletters(user: Viewer) -> QuerySet[Newsletter]:
    """Public lists for everyone; professionals may also join the lists meant for the network."""
    newsletters = Newsletter.objects.all()
    if not access.is_professional(user):
        newsletters = newsletters.filter(public_subscribe=True)
    return newsletters.order_by("name")
