"""The test plugin puts Wagtail's data-migration rows back after the flush that ends a transactional test.

The two tests run in this order (pytest-django keeps file order among transactional
tests), so the second one starts from the flushed database the first one leaves.
"""

import pytest
from wagtail.models import Collection, Locale, Page, Site

from cms.models import HomePage

transactional = pytest.mark.django_db(transaction=True)


@transactional
def test_a_transactional_test_builds_pages_and_is_flushed_afterwards():
    root = Page.get_first_root_node()
    root.add_child(instance=HomePage(title="Sozialraum Teltow", slug="start"))

    assert HomePage.objects.count() == 1


@transactional
def test_the_next_transactional_test_finds_locale_page_tree_site_and_collection_again():
    assert not HomePage.objects.exists()
    assert Locale.get_default().language_code == "de"
    assert Site.objects.get(is_default_site=True).root_page.get_parent() == Page.get_first_root_node()
    assert Collection.get_first_root_node() is not None

    Page.get_first_root_node().add_child(instance=HomePage(title="Sozialraum Teltow", slug="start"))
