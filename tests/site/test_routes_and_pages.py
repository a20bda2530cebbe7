"""No route of an app hides a page of the page tree: the meetings calendar once took `/termine/`,
the address of the CMS's event index, and the events page silently showed the calendar instead."""

import pytest
from django.core.management import call_command
from django.urls import resolve
from wagtail.models import Page
from wagtail.views import serve


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def test_every_page_of_the_demo_tree_is_served_by_wagtail(demo, client):
    pages = Page.objects.live().filter(depth__gt=1).specific()
    assert pages.count() > 20

    hidden = [page.url for page in pages if page.url and resolve(page.url).func is not serve]

    assert not hidden, f"app routes answer these page addresses: {hidden}"


def test_the_event_index_shows_the_cms_events(demo, client):
    html = client.get("/termine/").content.decode()

    assert "Sozialraumkonferenz" in html
    assert "Kommende Termine" in html
