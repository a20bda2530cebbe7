"""Serving a page in fewer queries than Wagtail's defaults (issue #16, "Pages": ≤ 10 queries a page).

- `route` on the site's root: Wagtail walks the URL one level at a time, two queries per level (the
  child by slug, then its specific row). The page at the end of the path has exactly that `url_path`
  (Wagtail keeps it in step with every slug and move), so one lookup finds it; whatever it does not
  find (a sub-route of a routable page, a 404) goes the usual way. The page found is cached under the
  pages stamp (cms.freshness: any page saved, published, unpublished, moved or deleted takes a new one),
  with what it loads for serving (`load_for_route_cache`); its own `route` still decides (live or not).
- `get_view_restrictions`: Wagtail reads the ancestors, then their restrictions; here one query with
  the ancestors as a subquery, with the same rule for aliases (an alias uses its source's restrictions).
- cms.site_cache: the Site and its root page, cached.
"""

from django.core.cache import cache
from django.db.models import Q
from wagtail.models import Page, PageViewRestriction

from .freshness import pages_stamp


class SiteRootRouting:
    def route(self, request, path_components):
        if path_components:
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            page = self._page_at(url_path)
            if page is not None:
                return page.route(request, [])
        return super().route(request, path_components)

    def _page_at(self, url_path):
        def find():
            page = Page.objects.filter(url_path=url_path, path__startswith=self.path).specific().first()
            if page is not None and hasattr(page, "load_for_route_cache"):
                page.load_for_route_cache()
            # "" remembers that no page has this path (a sub-route or a 404): the usual walk decides.
            return page or ""

        return cache.get_or_set(f"cms:route:{pages_stamp()}:{self.path}:{url_path}", find, 3600) or None


class OneQueryViewRestrictions:
    def get_view_restrictions(self):
        steplen = Page.steplen
        paths = [self.path[: steplen * depth] for depth in range(1, self.depth + 1)]
        lineage = Page.objects.filter(path__in=paths)
        return PageViewRestriction.objects.filter(
            Q(page__in=lineage.filter(alias_of__isnull=True).values("pk"))
            | Q(page__in=lineage.filter(alias_of__isnull=False).values("alias_of_id"))
        )
