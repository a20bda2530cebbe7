"""A sign-up without the consent box ticked says what is missing, not just that "a field" is required."""

import html

from django.urls import reverse

from newsletter.models import Subscriber


def test_a_sign_up_without_consent_names_the_missing_consent_and_keeps_the_address(client, newsletter):
    response = client.post(reverse("newsletter:subscribe", args=[newsletter.slug]), {"email": "leser@example.org"})

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Bitte setzen Sie das Häkchen bei der Einwilligung" in page
    assert "Dieses Feld ist zwingend erforderlich" not in page
    assert 'value="leser@example.org"' in page, "the address typed is not lost"
    assert not Subscriber.objects.exists()
