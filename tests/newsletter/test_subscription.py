"""Double opt-in, consent records, the manage page and the expiry of unconfirmed sign-ups."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from newsletter import tokens
from newsletter.models import ConsentRecord, Newsletter, Subscriber, Subscription
from newsletter.services import purge_unconfirmed_subscriptions


def subscribe_url(newsletter):
    return reverse("newsletter:subscribe", args=[newsletter.slug])


def confirmation_link(mail):
    (link,) = re.findall(r"https?://\S+", mail.body)
    return link.replace("https://sozialraum.example.org", "")


def test_double_opt_in(client, newsletter, mailoutbox, django_capture_on_commit_callbacks):
    page = client.get(subscribe_url(newsletter))
    assert page.status_code == 200 and newsletter.effective_consent_text in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(subscribe_url(newsletter), {"email": "Neu@Example.org", "consent": "on"})
    assert response.status_code == 200 and "Bitte bestätigen Sie Ihre Anmeldung" in response.content.decode()

    subscription = Subscription.objects.get(subscriber__email="Neu@Example.org")
    assert subscription.status == Subscription.Status.PENDING
    (mail,) = mailoutbox
    assert mail.to == ["Neu@Example.org"] and "Sozialraum aktuell" in mail.subject
    assert len(re.findall(r"https?://", mail.body)) == 1  # nothing but the confirmation link
    link = confirmation_link(mail)

    # Opening the link (as a scanner does) confirms nothing.
    page = client.get(link)
    assert page.status_code == 200 and "<form" in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.PENDING

    response = client.post(link)
    assert response.status_code == 200 and "Anmeldung bestätigt" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.CONFIRMED and subscription.confirmed_at

    for again in (client.post(link), client.get(link)):
        assert again.status_code == 200 and "bereits bestätigt" in again.content.decode()

    (consent,) = ConsentRecord.objects.filter(subscription=subscription)
    assert consent.source == ConsentRecord.Source.FORM
    assert consent.source_detail == "http://testserver" + subscribe_url(newsletter)
    assert consent.consent_text == newsletter.effective_consent_text
    assert consent.consent_version == newsletter.consent_version
    assert consent.given_at <= consent.confirmation_sent_at <= consent.confirmed_at
    assert consent.withdrawn_at is None and consent.ip_address is None


def test_ip_is_recorded_only_when_configured(client, newsletter, settings):
    settings.NEWSLETTER_RECORD_IP = True
    client.post(subscribe_url(newsletter), {"email": "ip@example.org", "consent": "on"}, REMOTE_ADDR="192.0.2.7")
    assert ConsentRecord.objects.get().ip_address == "192.0.2.7"


def test_consent_is_required(client, newsletter):
    response = client.post(subscribe_url(newsletter), {"email": "neu@example.org"})
    assert response.status_code == 200 and not Subscription.objects.exists()


def test_changed_consent_text_gets_a_new_version(newsletter):
    before = newsletter.consent_version
    newsletter.consent_text = "Ich möchte den Newsletter erhalten."
    assert newsletter.consent_version != before


def test_non_public_list_is_only_for_professionals(client, newsletter, professional):
    newsletter.public_subscribe = False
    newsletter.save()
    assert client.get(subscribe_url(newsletter)).status_code == 404
    client.force_login(professional)
    assert client.get(subscribe_url(newsletter)).status_code == 200


def test_account_holder_subscribes_without_round_trip(client, newsletter, professional, mailoutbox):
    client.force_login(professional)
    response = client.post(subscribe_url(newsletter), {"email": professional.email, "consent": "on"})
    assert response.status_code == 200 and "ab der nächsten Ausgabe" in response.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.CONFIRMED and subscription.subscriber.user == professional
    consent = subscription.consents.get()
    assert consent.source == ConsentRecord.Source.ACCOUNT and consent.confirmed_at
    assert mailoutbox == []


def test_account_holder_with_another_address_gets_the_round_trip(client, newsletter, professional):
    client.force_login(professional)
    client.post(subscribe_url(newsletter), {"email": "privat@example.org", "consent": "on"})
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.PENDING and subscription.subscriber.user is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_forged_confirmation_token(client, newsletter, method):
    response = getattr(client, method)(reverse("newsletter:confirm", args=["erfunden:abc:def"]))
    assert response.status_code == 400 and "ungültig" in response.content.decode()


def test_expired_confirmation_token(client, newsletter, subscribe, settings):
    subscription = subscribe("spaet@example.org", status=Subscription.Status.PENDING)
    token = tokens.make_confirm_token(subscription)
    settings.NEWSLETTER_CONFIRMATION_DAYS = -1
    response = client.post(reverse("newsletter:confirm", args=[token]))
    assert response.status_code == 400 and "abgelaufen" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.PENDING


def test_manage_token_is_no_confirmation_token(client, newsletter, subscribe):
    subscription = subscribe("a@example.org", status=Subscription.Status.PENDING)
    response = client.post(reverse("newsletter:confirm", args=[tokens.make_manage_token("a@example.org")]))
    assert response.status_code == 400
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.PENDING


def test_confirming_a_purged_sign_up(client, newsletter, subscribe):
    subscription = subscribe("weg@example.org", status=Subscription.Status.PENDING)
    token = tokens.make_confirm_token(subscription)
    subscription.delete()
    response = client.post(reverse("newsletter:confirm", args=[token]))
    assert response.status_code == 400 and "abgelaufen" in response.content.decode()


def test_unconfirmed_sign_ups_expire(newsletter, subscribe):
    old = subscribe("alt@example.org", status=Subscription.Status.PENDING)
    Subscription.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    subscribe("frisch@example.org", status=Subscription.Status.PENDING)
    subscribe("bestaetigt@example.org")
    stale_confirmed = subscribe("lange-dabei@example.org")
    Subscription.objects.filter(pk=stale_confirmed.pk).update(created_at=timezone.now() - timedelta(days=80))

    assert purge_unconfirmed_subscriptions() == 1
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "bestaetigt@example.org",
        "frisch@example.org",
        "lange-dabei@example.org",
    ]
    call_command("purge_unconfirmed_subscriptions")


def test_manage_page_unsubscribes_and_resubscribes(client, newsletter, subscribe):
    other = Newsletter.objects.create(
        name="Fachkräfte-Info",
        slug="fachkraefte",
        sender_name="Koordination",
        sender_email="k@example.org",
        public_subscribe=True,
    )
    subscription = subscribe("leser@example.org")
    ConsentRecord.objects.create(
        subscription=subscription, source=ConsentRecord.Source.IMPORT, consent_text="x", consent_version="1"
    )
    url = reverse("newsletter:manage", args=[tokens.make_manage_token("Leser@Example.org")])
    page = client.get(url)
    assert page.status_code == 200
    assert "Sozialraum aktuell" in page.content.decode() and "Fachkräfte-Info" in page.content.decode()

    response = client.post(url, {"newsletter": newsletter.pk, "action": "unsubscribe"})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED and subscription.unsubscribed_at
    assert subscription.consents.get().withdrawn_at

    client.post(url, {"newsletter": newsletter.pk, "action": "subscribe"})
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.CONFIRMED
    assert subscription.consents.filter(withdrawn_at__isnull=True, confirmed_at__isnull=False).count() == 1

    client.post(url, {"newsletter": other.pk, "action": "subscribe"})
    assert Subscription.objects.get(newsletter=other).status == Subscription.Status.CONFIRMED


def test_manage_page_with_a_bad_token(client, db):
    assert client.get(reverse("newsletter:manage", args=["kaputt"])).status_code == 400
