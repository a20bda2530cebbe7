"""The page a URL leads to is cached under the pages stamp (cms.serving): a renamed, unpublished or newly
restricted page is served as it now is at the next request."""

from wagtail.models import PageViewRestriction


def test_a_renamed_body_page_moves_to_its_new_address_at_once(page_tree, make_body, client):
    page = make_body("FG Sport", slug="fg-sport").page
    old_url = page.url
    assert client.get(old_url).status_code == 200

    page.slug = "fg-sport-und-bewegung"
    page.save_revision().publish()
    page.refresh_from_db()

    assert page.url.endswith("/fg-sport-und-bewegung/")
    assert client.get(old_url).status_code == 404
    response = client.get(page.url)
    assert response.status_code == 200
    assert "FG Sport" in response.content.decode()


def test_an_unpublished_body_page_is_gone_at_once(page_tree, make_body, client):
    page = make_body("FG Kultur", slug="fg-kultur").page
    assert client.get(page.url).status_code == 200

    page.unpublish()

    assert client.get(page.url).status_code == 404


def test_a_page_restricted_to_signed_in_readers_asks_a_visitor_to_sign_in_at_once(
    page_tree, make_body, professional, logged_in
):
    page = make_body("FG Jugend", slug="fg-jugend").page
    visitor = logged_in(None)
    assert visitor.get(page.url).status_code == 200

    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)

    assert visitor.get(page.url).status_code == 302
    response = logged_in(professional).get(page.url)
    assert response.status_code == 200
    assert "FG Jugend" in response.content.decode()
