"""Wagtail looks up the Site of every page request, then its root page, then the root page's specific row:
three queries. They change only when an editor edits a site or publishes, moves or deletes pages, each of
which takes a new pages stamp (cms.freshness), so they are cached under it, per host."""

from django.core.cache import cache
from wagtail.models import Site
from wagtail.views import serve

from .freshness import pages_stamp


class CachedSiteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not serve or hasattr(request, "_wagtail_site"):
            return None
        key = f"cms:site:{pages_stamp()}:{request.get_host()}:{request.get_port()}"
        # "" stands for "no site" so that a host without one is cached too.
        request._wagtail_site = cache.get_or_set(key, lambda: _site_with_root_page(request) or "", 3600) or None
        return None


def _site_with_root_page(request):
    site = Site._find_for_request(request)
    if site is not None:
        # Loaded now, so that the cached copy carries them.
        site.root_page.specific  # noqa: B018
    return site
