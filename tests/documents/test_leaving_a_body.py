"""A member who leaves a body (or is removed) cannot open its documents any more, from the next request on."""

from django.urls import reverse

from network import services as network_services
from network.models import Membership


def test_a_member_who_leaves_can_no_longer_download_at_once(logged_in, member, closed_body, members_document):
    browser = logged_in(member)
    url = members_document.current.get_absolute_url()
    assert browser.get(url).status_code == 200

    browser.post(reverse("network:body_leave", args=[closed_body.slug]))

    assert not Membership.objects.filter(user=member, body=closed_body).exists()
    refused = browser.get(url)
    assert refused.status_code == 403
    assert "Dieses Dokument ist nur für Mitglieder des Gremiums sichtbar." in refused.text
    assert browser.get(reverse("documents:library", args=[closed_body.slug])).status_code == 403
    assert browser.get(members_document.get_absolute_url()).status_code == 403


def test_a_removed_member_loses_the_files_in_the_open_session(
    logged_in, member, moderator, closed_body, members_document
):
    browser = logged_in(member)
    network_services.remove_member(moderator, Membership.objects.get(user=member, body=closed_body))

    assert browser.get(members_document.current.get_absolute_url()).status_code == 403
