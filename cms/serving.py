"""Serving a page in fewer queries than Wagtail's defaults (issue #16, "Pages": ≤ 10 queries a page).

- `route` on the site's root: Wagtail walks the URL one level at a time, two queries per level (the
  child by slug, then its specific row). The page at the end of the path has exactly that `url_path`
  (Wagtail keeps it in step with every slug and move), so one lookup finds it; whatever it does not
  find (a sub-route of a routable page, a 404) goes the usual way.
- `get_view_restrictions`: Wagtail reads the ancestors, then their restrictions; here one query with
  the ancestors as a subquery, with the same rule for aliases (an alias uses its source's restrictions).
- cms.site_cache: the Site and its root page, cached.
"""

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction


class SiteRootRouting:
    def route(self, request, path_components):
        if path_components:
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            page = Page.objects.filter(url_path=url_path, path__startswith=self.path).specific().first()
            if page is not None:
                return page.route(request, [])
        return super().route(request, path_components)


class OneQueryViewRestrictions:
    def get_view_restrictions(self):
        steplen = Page.steplen
        paths = [self.path[: steplen * depth] for depth in range(1, self.depth + 1)]
        lineage = Page.objects.filter(path__in=paths)
        return PageViewRestriction.objects.filter(
            Q(page__in=lineage.filter(alias_of__isnull=True).values("pk"))
            | Q(page__in=lineage.filter(alias_of__isnull=False).values("alias_of_id"))
        )
