"""Each network body has one page: its CMS page where it has one; the network's own address redirects there
permanently, and every link points to it."""

import random

from django.test import Client

from cms.models import NetworkBodyPage
from network.models import Membership
from network.selectors import network_map

random.seed(6)


def test_the_network_address_of_a_body_redirects_permanently_to_its_one_page(page_tree, make_body):
    body = make_body("FG Kita", slug="fg-kita")
    page = NetworkBodyPage.objects.get(body=body)

    response = Client().get("/netzwerk/gremien/fg-kita/")

    assert response.status_code == 301
    assert response["Location"] == page.url == "/gremien/fg-kita/"
    assert body.get_absolute_url() == page.url
    assert "FG Kita" in Client().get(response["Location"]).content.decode()


def test_the_one_page_shows_members_membership_and_moderation_as_the_network_page_did(
    page_tree, make_body, make_user, add_member, professional, logged_in
):
    body = make_body("FG Kita", slug="fg-kita", members_only=True)
    listed = make_user(display_name=f"Lea Liste {random.randint(1, 999)}", job_title="Erzieherin")
    add_member(listed, body)
    moderator = make_user(display_name="Mona Moderation")
    add_member(moderator, body, Membership.Role.MODERATOR)
    url = body.get_absolute_url()

    as_member = logged_in(listed).get(url).content.decode()
    assert listed.display_name in as_member and "Erzieherin" in as_member
    assert 'action="/netzwerk/gremien/fg-kita/austreten/"' in as_member
    assert "/netzwerk/gremien/fg-kita/verwalten/" not in as_member
    assert "/netzwerk/gremien/fg-kita/verwalten/" in logged_in(moderator).get(url).content.decode()

    as_outsider = logged_in(professional).get(url).content.decode()
    assert listed.display_name not in as_outsider
    assert "Die Mitgliederliste ist nur für Mitglieder" in as_outsider
    assert 'action="/netzwerk/gremien/fg-kita/beitreten/"' in as_outsider


def test_links_to_a_body_point_to_its_one_page(page_tree, make_body, make_user, add_member, professional, logged_in):
    body = make_body("FG Kita", slug="fg-kita")
    add_member(professional, body)
    page_url = NetworkBodyPage.objects.get(body=body).url

    for path in ("/netzwerk/gremien/", "/netzwerk/meine-gremien/", f"/netzwerk/personen/{professional.pk}/"):
        html = logged_in(professional).get(path).content.decode()
        assert f'href="{page_url}"' in html, path
        assert 'href="/netzwerk/gremien/fg-kita/"' not in html, path
    assert [entry["url"] for entry in network_map(professional)["bodies"]] == [page_url]


def test_without_a_cms_page_the_network_page_is_the_one_page(make_body):
    body = make_body("FG Kita", slug="fg-kita")

    response = Client().get("/netzwerk/gremien/fg-kita/")

    assert body.get_absolute_url() == "/netzwerk/gremien/fg-kita/"
    assert response.status_code == 200 and "FG Kita" in response.content.decode()
