"""An edition as e-mail and on the web: blocks, absolute links, alt texts, footer, archive."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction, Site

from cms.models import EventPage, NewsPage, SiteLinks, StandardPage
from newsletter import rendering
from newsletter.delivery import lifecycle
from newsletter.services import create_send

from .conftest import SITE_URL


@pytest.fixture
def rich_edition(page_tree, make_edition):
    news = page_tree.news.add_child(
        instance=NewsPage(title="Neue Kita eröffnet", slug="kita", intro="Die Kita am See öffnet.")
    )
    secret = page_tree.news.add_child(instance=NewsPage(title="Intern", slug="intern", intro="Nur intern."))
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.LOGIN)
    page_tree.events.add_child(
        instance=EventPage(
            title="FG Kita: Sitzung",
            slug="fg-kita",
            start=timezone.now() + timedelta(days=3),
            location="Rathaus",
            intro="Sitzung",
        )
    )
    impressum = page_tree.home.add_child(instance=StandardPage(title="Impressum", slug="impressum"))
    SiteLinks.objects.update_or_create(site=Site.objects.get(is_default_site=True), defaults={"impressum": impressum})
    image = Image.objects.create(title="Kita", file=get_test_image_file())
    return make_edition(
        body=[
            ("heading", {"text": "Aus den Fokusgruppen", "level": "h2"}),
            ("paragraph", f'<p>Siehe <a id="{news.pk}" linktype="page">die Meldung</a> &amp; mehr.</p>'),
            ("image", {"image": image, "alt_text": "Kinder spielen im Garten", "caption": ""}),
            ("button", {"text": "Zur Anmeldung", "page": news, "url": ""}),
            ("teaser", {"page": news, "text": ""}),
            ("teaser", {"page": secret, "text": ""}),
            ("upcoming_events", {"heading": "Nächste Termine", "count": 3}),
            ("divider", None),
        ]
    )


def test_compiled_edition(rich_edition):
    compiled = rendering.compile_edition(rich_edition)
    html, text = compiled.html, compiled.text
    assert compiled.subject == rich_edition.subject
    assert '<html lang="de"' in html
    assert "Aus den Fokusgruppen" in html and "AUS DEN FOKUSGRUPPEN" in text
    assert f'href="{SITE_URL}/aktuelles/kita/"' in html  # rich-text page link made absolute
    assert f"die Meldung ({SITE_URL}/aktuelles/kita/)" in text
    assert 'alt="Kinder spielen im Garten"' in html and f'src="{SITE_URL}/' in html
    assert "[Bild: Kinder spielen im Garten]" in text
    assert "Zur Anmeldung" in html and "Die Kita am See öffnet." in html and "Die Kita am See öffnet." in text
    assert "Nur intern" not in html and "Intern" not in text  # restricted pages never go out
    assert "FG Kita: Sitzung" in html and "Rathaus" in text
    assert "Im Browser ansehen" in html and f"{SITE_URL}/newsletter/{rich_edition.slug}/" in html
    assert f"{SITE_URL}/impressum/" in html and f"Impressum: {SITE_URL}/impressum/" in text
    assert "Sozialraumkoordination Teltow" in html and "sozialraum@example.org" in text
    assert 'href="/' not in html
    for placeholder in (rendering.GREETING, rendering.MANAGE_URL, rendering.UNSUBSCRIBE_URL):
        assert placeholder in html and placeholder in text


def test_personal_parts_are_escaped(rich_edition):
    compiled = rendering.compile_edition(rich_edition)
    links = rendering.recipient_links("a@example.org", rich_edition.newsletter)
    html, text = rendering.personalize(compiled.html, compiled.text, name='Anna "<b>"', links=links)
    assert "Guten Tag Anna &quot;&lt;b&gt;&quot;," in html and 'Guten Tag Anna "<b>",' in text
    assert links["manage_url"] in html and links["unsubscribe_url"] in text
    assert "__NL_" not in html + text


def test_archive_shows_sent_editions_of_public_lists_only(client, make_edition, subscribe, newsletter, archive):
    subscribe("a@example.org")
    sent = make_edition(title="Versendet", slug="versendet")
    lifecycle.start_send(create_send(sent), enqueue=False)
    draft = make_edition(title="Entwurf", slug="entwurf")

    listing = client.get(archive.url).content.decode()
    assert "Versendet" in listing and "Entwurf" not in listing
    assert client.get(sent.url).status_code == 200
    assert client.get(draft.url).status_code == 404

    newsletter.public_subscribe = False
    newsletter.save()
    assert client.get(sent.url).status_code == 404
    assert "Versendet" not in client.get(archive.url).content.decode()


def test_edition_web_page_renders_blocks(client, rich_edition, subscribe):
    subscribe("a@example.org")
    lifecycle.start_send(create_send(rich_edition), enqueue=False)
    page = client.get(rich_edition.url).content.decode()
    assert "Aus den Fokusgruppen" in page and 'alt="Kinder spielen im Garten"' in page
    assert "Neue Kita eröffnet" in page and "FG Kita: Sitzung" in page
