"""The newsletter's part of a person's data, found by e-mail address: lists, consents and the mails sent.

When an account is deleted, its addresses leave every list and their consent records go, except the
proof of a withdrawal (GDPR Art. 7(1) and 5(2): we must be able to show that we stopped mailing
because consent was withdrawn, and an address that withdrew must not be mailed again). What is
kept for each withdrawn list is only what proves it: the address, the list, when consent was given
and in which wording, and when it was withdrawn. The name, the IP address, where the form was and
any bounce details go. Lists that were still active or unconfirmed are removed entirely.
"""

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, Lower

from core.privacy import register_part

from .models import ConsentRecord, Delivery, Subscriber, Subscription


def _by_address(queryset, field, email_addresses):
    return queryset.annotate(address_key=Lower(field)).filter(address_key__in=[a.lower() for a in email_addresses])


def export_personal_data(email_addresses):
    subscribers = list(_by_address(Subscriber.objects.all(), "email", email_addresses).order_by("email"))
    subscriptions = list(
        Subscription.objects.filter(subscriber__in=subscribers)
        .select_related("subscriber", "newsletter")
        .order_by("pk")
    )
    consents = {}
    for consent in ConsentRecord.objects.filter(subscription__in=subscriptions).order_by("given_at", "pk"):
        consents.setdefault(consent.subscription_id, []).append(
            {
                "source": consent.get_source_display(),
                "source_detail": consent.source_detail,
                "consent_text": consent.consent_text,
                "consent_version": consent.consent_version,
                "ip_address": consent.ip_address,
                "given_at": consent.given_at,
                "confirmation_sent_at": consent.confirmation_sent_at,
                "confirmed_at": consent.confirmed_at,
                "withdrawn_at": consent.withdrawn_at,
            }
        )
    deliveries = _by_address(Delivery.objects.all(), "email", email_addresses).select_related(
        "send__edition__newsletter"
    )
    return {
        "subscribers": [
            {
                "email": subscriber.email,
                "name": subscriber.name,
                "status": subscriber.get_status_display(),
                "bounced_at": subscriber.bounced_at,
                "bounce_reason": subscriber.bounce_reason,
                "created_at": subscriber.created_at,
            }
            for subscriber in subscribers
        ],
        "subscriptions": [
            {
                "newsletter": subscription.newsletter.name,
                "email": subscription.subscriber.email,
                "status": subscription.get_status_display(),
                "created_at": subscription.created_at,
                "confirmed_at": subscription.confirmed_at,
                "unsubscribed_at": subscription.unsubscribed_at,
                "consent_records": consents.get(subscription.pk, []),
            }
            for subscription in subscriptions
        ],
        "mails_received": [
            {
                "newsletter": delivery.send.edition.newsletter.name,
                "subject": delivery.send.subject or delivery.send.edition.subject,
                "email": delivery.email,
                "status": delivery.get_status_display(),
                "sent_at": delivery.sent_at,
            }
            for delivery in deliveries.order_by("pk")
        ],
    }


def erase_personal_data(email_addresses):
    """Remove the addresses' subscriptions and consents, keeping only the proof of each withdrawal."""
    subscribers = _by_address(Subscriber.objects.all(), "email", email_addresses)
    subscriptions = Subscription.objects.filter(subscriber__in=subscribers.values("pk"))
    withdrawn = subscriptions.filter(status=Subscription.Status.UNSUBSCRIBED)
    subscriptions.exclude(status=Subscription.Status.UNSUBSCRIBED).delete()
    proofs = ConsentRecord.objects.filter(subscription__in=withdrawn.values("pk"))
    proofs.filter(withdrawn_at__isnull=True).delete()
    proofs.update(ip_address=None, source_detail="")
    subscribers.filter(subscriptions__isnull=True).delete()
    subscribers.update(name="", user=None, bounce_reason="")
    # The ledger of sent mails keeps its counts, not the address: nothing still queued goes out.
    deliveries = _by_address(Delivery.objects.all(), "email", email_addresses)
    deliveries.filter(status=Delivery.Status.QUEUED).update(status=Delivery.Status.SKIPPED)
    deliveries.update(
        name="", email=Concat(Value("geloescht-"), Cast("pk", CharField()), Value("@invalid"), output_field=CharField())
    )


register_part(
    "newsletter",
    export=lambda subject: export_personal_data(subject.email_addresses),
    erase=lambda subject: erase_personal_data(subject.email_addresses),
)
