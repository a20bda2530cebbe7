"""RFC 8058 one-click unsubscribe, exactly as mail providers call it."""

from django.test import Client
from django.urls import reverse

from newsletter import tokens
from newsletter.models import Subscription

ONE_CLICK = "List-Unsubscribe=One-Click"


def url_for(email, newsletter):
    return reverse("newsletter:unsubscribe", args=[tokens.make_unsubscribe_token(email, newsletter.pk)])


def provider():
    """No cookies, no CSRF token, CSRF checks on: what a mailbox provider's server looks like to us."""
    return Client(enforce_csrf_checks=True)


def test_one_click_form_encoded(newsletter, subscribe):
    subscription = subscribe("leser@example.org")
    response = provider().post(
        url_for("leser@example.org", newsletter), ONE_CLICK, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200 and "Location" not in response
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED


def test_one_click_multipart(newsletter, subscribe):
    subscription = subscribe("leser@example.org")
    response = provider().post(url_for("LESER@example.org", newsletter), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED
    # A second POST (providers retry) is just as fine.
    assert (
        provider().post(url_for("leser@example.org", newsletter), {"List-Unsubscribe": "One-Click"}).status_code == 200
    )


def test_get_only_asks(client, newsletter, subscribe):
    subscription = subscribe("leser@example.org")
    response = client.get(url_for("leser@example.org", newsletter))
    assert response.status_code == 200 and "Jetzt abmelden" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.CONFIRMED


def test_address_that_is_gone_stays_out(newsletter, subscribe):
    """Purged or never subscribed (a body member): the address is recorded as unsubscribed, no crash."""
    response = provider().post(
        url_for("unbekannt@example.org", newsletter), ONE_CLICK, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert (
        Subscription.objects.get(subscriber__email="unbekannt@example.org").status == Subscription.Status.UNSUBSCRIBED
    )


def test_deleted_newsletter(newsletter):
    url = url_for("leser@example.org", newsletter)
    newsletter.delete()
    response = provider().post(url, ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 404 and "gibt es nicht mehr" in response.content.decode()


def test_forged_token(db):
    response = provider().post(reverse("newsletter:unsubscribe", args=["gefaelscht"]))
    assert response.status_code == 400
