"""Operations on subscriptions and consent. Sending lives in `newsletter.delivery`."""

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.models import EventPage
from core.mail import absolute_url, queue_templated_mail
from core.permissions import Viewer
from network.models import NetworkBody, User

from . import tokens
from .models import ConsentRecord, Delivery, Newsletter, NewsletterEdition, Send, Subscriber, Subscription


class SubscribeOutcome:
    CONFIRMATION_SENT = "confirmation_sent"
    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already_confirmed"


def _subscriber(email: str, user: User | None = None) -> Subscriber:
    subscriber = Subscriber.objects.filter(email__iexact=email).first()
    if subscriber is None:
        subscriber = Subscriber.objects.create(email=email.strip(), user=user)
    elif user is not None and subscriber.user_id is None:
        subscriber.user = user
        subscriber.save(update_fields=["user"])
    return subscriber


def _new_consent(
    subscription: Subscription,
    source: str,
    source_detail: str,
    ip_address: str | None,
    *,
    given_at: datetime,
    confirmed_at: datetime | None = None,
) -> ConsentRecord:
    newsletter = subscription.newsletter
    return ConsentRecord.objects.create(
        subscription=subscription,
        source=source,
        source_detail=source_detail[:500],
        consent_text=newsletter.effective_consent_text,
        consent_version=newsletter.consent_version,
        ip_address=ip_address,
        given_at=given_at,
        confirmed_at=confirmed_at,
    )


def _activate(subscription: Subscription, now: datetime) -> None:
    subscription.status = Subscription.Status.CONFIRMED
    subscription.confirmed_at = now
    subscription.unsubscribed_at = None
    subscription.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
    subscriber = subscription.subscriber
    if subscriber.status == Subscriber.Status.BOUNCED:
        # Confirming proves the mailbox receives mail again.
        subscriber.status = Subscriber.Status.ACTIVE
        subscriber.bounced_at = None
        subscriber.save(update_fields=["status", "bounced_at"])


@transaction.atomic
def subscribe(
    newsletter: Newsletter,
    email: str,
    *,
    source_detail: str,
    ip_address: str | None = None,
    user: Viewer | None = None,
) -> tuple[Subscription, str]:
    """Sign an address up. A logged-in account holder subscribing their own verified address skips
    the e-mail round-trip; everyone else gets a confirmation mail (double opt-in)."""
    own_address = user is not None and user.is_authenticated and user.email.lower() == email.strip().lower()
    subscriber = _subscriber(email, user if own_address else None)  # type: ignore[arg-type]  # own_address: signed in
    subscription, _created = Subscription.objects.select_for_update().get_or_create(
        subscriber=subscriber, newsletter=newsletter
    )
    if subscription.status == Subscription.Status.CONFIRMED:
        return subscription, SubscribeOutcome.ALREADY_CONFIRMED
    now = timezone.now()
    if own_address:
        _new_consent(
            subscription, ConsentRecord.Source.ACCOUNT, source_detail, ip_address, given_at=now, confirmed_at=now
        )
        _activate(subscription, now)
        return subscription, SubscribeOutcome.CONFIRMED
    subscription.status = Subscription.Status.PENDING
    # The expiry of an unconfirmed sign-up counts from the latest request.
    subscription.created_at = now
    subscription.save(update_fields=["status", "created_at"])
    consent = _new_consent(subscription, ConsentRecord.Source.FORM, source_detail, ip_address, given_at=now)
    _send_confirmation(subscription)
    consent.confirmation_sent_at = now
    consent.save(update_fields=["confirmation_sent_at"])
    return subscription, SubscribeOutcome.CONFIRMATION_SENT


def _send_confirmation(subscription: Subscription) -> None:
    url = absolute_url(reverse("newsletter:confirm", args=[tokens.make_confirm_token(subscription)]))
    queue_templated_mail(
        "newsletter/email/confirm",
        [subscription.subscriber.email],
        {"newsletter": subscription.newsletter, "confirm_url": url, "days": tokens.confirmation_days()},
    )


class ConfirmOutcome:
    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already_confirmed"
    GONE = "gone"


@transaction.atomic
def confirm_subscription(subscription_id: int) -> tuple[Subscription | None, str]:
    """Confirm a pending sign-up from its (already verified) token."""
    subscription = (
        Subscription.objects.select_for_update()
        .select_related("subscriber", "newsletter")
        .filter(pk=subscription_id)
        .first()
    )
    if subscription is None or subscription.status == Subscription.Status.UNSUBSCRIBED:
        return None, ConfirmOutcome.GONE
    if subscription.status == Subscription.Status.CONFIRMED:
        return subscription, ConfirmOutcome.ALREADY_CONFIRMED
    now = timezone.now()
    subscription.consents.filter(confirmed_at__isnull=True, withdrawn_at__isnull=True).update(confirmed_at=now)
    _activate(subscription, now)
    return subscription, ConfirmOutcome.CONFIRMED


@transaction.atomic
def unsubscribe(email: str, newsletter: Newsletter) -> bool:
    """Withdraw consent for one list. Works for addresses that were never subscribed (members of a body,
    attendees of an event): the row then keeps them out of this list's audiences. Returns True if
    something changed."""
    subscription, _created = Subscription.objects.select_for_update().get_or_create(
        subscriber=_subscriber(email), newsletter=newsletter, defaults={"status": Subscription.Status.UNSUBSCRIBED}
    )
    now = timezone.now()
    subscription.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=now)
    if subscription.status == Subscription.Status.UNSUBSCRIBED and not _created:
        return False
    subscription.status = Subscription.Status.UNSUBSCRIBED
    subscription.unsubscribed_at = now
    subscription.save(update_fields=["status", "unsubscribed_at"])
    return True


@transaction.atomic
def resubscribe(
    email: str, newsletter: Newsletter, *, source_detail: str, ip_address: str | None = None
) -> Subscription:
    """Subscribe again from the manage page. Its token came by mail to this address, which proves
    ownership as a confirmation link would, so no second round-trip is needed."""
    subscription, _created = Subscription.objects.select_for_update().get_or_create(
        subscriber=_subscriber(email), newsletter=newsletter
    )
    if subscription.status == Subscription.Status.CONFIRMED:
        return subscription
    now = timezone.now()
    _new_consent(subscription, ConsentRecord.Source.FORM, source_detail, ip_address, given_at=now, confirmed_at=now)
    _activate(subscription, now)
    return subscription


def purge_unconfirmed_subscriptions(now: datetime | None = None) -> int:
    """Delete sign-ups never confirmed within NEWSLETTER_CONFIRMATION_DAYS, and addresses left with nothing.
    Returns the number of subscriptions deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=tokens.confirmation_days())
    with transaction.atomic():
        deleted, _per_model = Subscription.objects.filter(
            status=Subscription.Status.PENDING, created_at__lt=cutoff
        ).delete()
        count = _per_model.get(Subscription._meta.label, 0)
        # Bounced addresses stay: they keep sends to body members and attendees from bouncing again.
        Subscriber.objects.filter(subscriptions__isnull=True, status=Subscriber.Status.ACTIVE).delete()
    return count


def record_hard_bounce(email: str, reason: str) -> None:
    """Suspend an address for every list, whether it came from a list, a body or an event."""
    subscriber = _subscriber(email)
    subscriber.status = Subscriber.Status.BOUNCED
    subscriber.bounced_at = timezone.now()
    subscriber.bounce_reason = reason[:2000]
    subscriber.save(update_fields=["status", "bounced_at", "bounce_reason"])


# Our deterministic Message-ID (newsletter.delivery.options.message_id): send id and delivery id.
_OUR_MESSAGE_ID = re.compile(r"newsletter-(\d+)-(\d+)@")


def _delivery_for(email: str, message_id: str | None) -> Delivery | None:
    """The message a bounce report is about: by our Message-ID when the report carries it, else the
    latest message sent to the address."""
    deliveries = Delivery.objects.select_related("send__edition__newsletter")
    match = _OUR_MESSAGE_ID.search(message_id or "")
    if match:
        found = deliveries.filter(send_id=match[1], pk=match[2]).first()
        if found is not None and (not email or found.email.lower() == email.lower()):
            return found
    if not email:
        return None
    # A message the server accepted is recorded (`sent_at`) before its row's status moves with its batch's.
    sent = Q(status__in=[Delivery.Status.SENT, Delivery.Status.BOUNCED]) | Q(
        status=Delivery.Status.SENDING, sent_at__isnull=False
    )
    return deliveries.filter(sent, email__iexact=email).order_by("-sent_at").first()


class BounceOutcome:
    SUSPENDED = "suspended"
    COUNTED = "counted"
    IGNORED = "ignored"


def soft_bounce_limit() -> int:
    return getattr(settings, "NEWSLETTER_SOFT_BOUNCE_LIMIT", 3)


@transaction.atomic
def record_bounce(email: str, *, hard: bool, reason: str, message_id: str | None = None) -> str:
    """A report (provider webhook or DSN mail) that a message did not arrive.

    Hard: the address is suspended at once. Soft: the list's subscription counts it, once per
    message however often the report repeats, and the address is suspended at the limit.
    """
    delivery = _delivery_for(email, message_id)
    email = email or (delivery.email if delivery else "")
    if not email:
        return BounceOutcome.IGNORED
    first_report = delivery is not None and delivery.status != Delivery.Status.BOUNCED
    if first_report:
        Delivery.objects.filter(pk=delivery.pk).update(  # type: ignore[union-attr]  # first_report: a delivery
            status=Delivery.Status.BOUNCED, bounced_at=timezone.now(), last_error=reason[:2000]
        )
    if hard:
        record_hard_bounce(email, reason)
        return BounceOutcome.SUSPENDED
    if not first_report:
        return BounceOutcome.IGNORED
    subscription = Subscription.objects.filter(
        subscriber__email__iexact=email,
        newsletter=delivery.send.edition.newsletter,  # type: ignore[union-attr]  # as above
    ).first()
    if subscription is None:
        # Members of a body and event attendees have no subscription to count on; a hard bounce still suspends them.
        return BounceOutcome.IGNORED
    Subscription.objects.filter(pk=subscription.pk).update(soft_bounces=F("soft_bounces") + 1)
    subscription.refresh_from_db(fields=["soft_bounces"])
    if subscription.soft_bounces >= soft_bounce_limit():
        record_hard_bounce(
            email,
            _("%(count)s vorübergehende Zustellfehler. Zuletzt: %(reason)s")
            % {"count": subscription.soft_bounces, "reason": reason},
        )
        return BounceOutcome.SUSPENDED
    return BounceOutcome.COUNTED


def record_complaint(email: str, message_id: str | None = None) -> int:
    """A spam complaint or a provider-side unsubscribe: end the list that sent the message, or every
    list of the address when the message is unknown. Returns the number of lists left."""
    delivery = _delivery_for(email, message_id)
    if delivery is not None:
        return int(unsubscribe(email, delivery.send.edition.newsletter))
    subscriptions = Subscription.objects.filter(subscriber__email__iexact=email).exclude(
        status=Subscription.Status.UNSUBSCRIBED
    )
    return sum(
        unsubscribe(email, subscription.newsletter) for subscription in subscriptions.select_related("newsletter")
    )


@transaction.atomic
def create_send(
    edition: NewsletterEdition,
    *,
    user: User | None = None,
    bodies: Iterable[NetworkBody] = (),
    event: EventPage | None = None,
    all_professionals: bool = False,
) -> Send:
    send = Send.objects.create(edition=edition, created_by=user, event=event, all_professionals=all_professionals)
    send.bodies.set(bodies)
    return send
