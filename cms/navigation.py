"""Links every page shows (legal pages and the newsletter in the footer, the events index in the menu), cached.

They change only when an editor publishes or moves pages or edits the site settings, but
would otherwise cost several queries on every request of every app.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.mail import absolute_url, add_legal_link_source
from network.models import add_public_page_finder

from .models import EventIndexPage, NetworkBodyPage, SiteLinks

CACHE_KEY = "cms:site-links"
CACHE_SECONDS = 60 * 60


def site_links():
    return cache.get_or_set(CACHE_KEY, _load_site_links, CACHE_SECONDS)


def _page_url(page):
    return page.get_url() if page is not None and page.live else None


def _load_site_links():
    site = Site.objects.filter(is_default_site=True).first()
    links = {"impressum": None, "privacy": None, "accessibility": None, "newsletter": None, "events": None}
    if site is None:
        return links
    settings = (
        SiteLinks.objects.filter(site=site)
        .select_related("impressum", "privacy", "accessibility", "newsletter")
        .first()
    )
    if settings is not None:
        for name in ("impressum", "privacy", "accessibility", "newsletter"):
            links[name] = _page_url(getattr(settings, name))
    links["events"] = _page_url(EventIndexPage.objects.live().descendant_of(site.root_page).first())
    return links


def forget_site_links(**kwargs):
    cache.delete(CACHE_KEY)


for signal in (page_published, page_unpublished, post_page_move):
    signal.connect(forget_site_links, dispatch_uid=f"cms-site-links-{signal}")
post_save.connect(forget_site_links, sender=SiteLinks, dispatch_uid="cms-site-links-settings")
post_save.connect(forget_site_links, sender=Site, dispatch_uid="cms-site-links-site")
post_delete.connect(forget_site_links, sender=Page, dispatch_uid="cms-site-links-page-deleted")


def mail_legal_links():
    """Impressum and Datenschutzerklärung for the end of every e-mail, as absolute URLs."""
    links = site_links()
    labels = {"impressum": _("Impressum"), "privacy": _("Datenschutzerklärung")}
    return [
        (label, url if url.startswith("http") else absolute_url(url))
        for name, label in labels.items()
        if (url := links[name])
    ]


add_legal_link_source(mail_legal_links)


def context(request):
    return {"site_links": site_links()}


def body_page_url(body):
    page = NetworkBodyPage.objects.live().filter(body=body).first()
    return page.url if page else None


def body_page_urls(bodies):
    pages = NetworkBodyPage.objects.live().filter(body__in=[body.pk for body in bodies]).only("url_path", "body")
    return {page.body_id: page.url for page in pages}


add_public_page_finder(body_page_url, many=body_page_urls)
