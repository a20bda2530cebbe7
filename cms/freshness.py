"""The stamp that keys the cached fragments of public pages (the home page's lists).

Any change those lists show comes through one of the signals below — a page is saved, published,
unpublished, moved or deleted, a site, body or Themenfeld is saved or deleted — and takes a new stamp, so the next
request renders afresh: nothing is served stale. The stamp lives in the cache itself (Redis when several
processes serve, as for every other shared cache here); when it is missing, a new one is drawn, which only
costs one cold render.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from core import stamps
from network.models import NetworkBody, Themenfeld

STAMP_KEY = "cms:pages-stamp"


def pages_stamp() -> str:
    return stamps.current(STAMP_KEY)


def new_stamp(**kwargs) -> None:
    stamps.renew(STAMP_KEY)


def _page_saved(sender, instance, **kwargs):
    # Every page model is its own sender; a live page saved without publishing (add_child) counts too.
    if isinstance(instance, Page):
        new_stamp()


for signal in (page_published, page_unpublished, post_page_move):
    signal.connect(new_stamp, dispatch_uid=f"cms-pages-stamp-{signal}")
post_save.connect(_page_saved, dispatch_uid="cms-pages-stamp-page-saved")
post_delete.connect(new_stamp, sender=Page, dispatch_uid="cms-pages-stamp-page-deleted")
for model in (NetworkBody, Themenfeld, Site):
    post_save.connect(new_stamp, sender=model, dispatch_uid=f"cms-pages-stamp-save-{model.__name__}")
    post_delete.connect(new_stamp, sender=model, dispatch_uid=f"cms-pages-stamp-delete-{model.__name__}")
