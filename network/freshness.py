"""The stamp that keys the cached network map (network.views.network_map, network.selectors.map_connectors).

The map shows bodies, their Themenfelder and public pages, organisations, districts and who sits where.
Every change to those — through the services, the Wagtail admin or account deletion — sends one of the
signals below and takes a new stamp, so the next request draws the map afresh: nothing is served stale.
A login only stamps `last_login` and keeps the stamp. The stamp lives in the cache itself (Redis when
several processes serve); when it is missing a new one is drawn, which costs one cold render.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from core import stamps

from .models import District, Membership, NetworkBody, Organisation, Themenfeld, User

STAMP_KEY = "network:map-stamp"


def network_stamp() -> str:
    return stamps.current(STAMP_KEY)


def new_stamp(**kwargs) -> None:
    stamps.renew(STAMP_KEY)


def _user_saved(sender, instance, created=False, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    new_stamp()


for model in (Membership, NetworkBody, Organisation, Themenfeld, District):
    post_save.connect(new_stamp, sender=model, dispatch_uid=f"network-map-stamp-save-{model.__name__}")
    post_delete.connect(new_stamp, sender=model, dispatch_uid=f"network-map-stamp-delete-{model.__name__}")
post_save.connect(_user_saved, sender=User, dispatch_uid="network-map-stamp-user-saved")
post_delete.connect(new_stamp, sender=User, dispatch_uid="network-map-stamp-user-deleted")
m2m_changed.connect(new_stamp, sender=Organisation.districts.through, dispatch_uid="network-map-stamp-districts")
# A body's entry links to its public page, which editors may rename or move.
for signal in (page_published, page_unpublished, post_page_move):
    signal.connect(new_stamp, dispatch_uid=f"network-map-stamp-{signal}")
post_delete.connect(new_stamp, sender=Page, dispatch_uid="network-map-stamp-page-deleted")


# A body's page also shows sections of the apps above the network (forum topics, meetings, minutes and tasks,
# documents, the planning phase), which the network must not import. Each of those apps names here the models
# its section shows (`body_sections_show`) and renews the stamp where it changes rows without saving models
# (QuerySet.update); the body page keys its cached sections on this stamp (cms.models.NetworkBodyPage).
SECTIONS_STAMP_KEY = "network:body-sections-stamp"


def body_sections_stamp() -> str:
    return stamps.current(SECTIONS_STAMP_KEY)


def renew_body_sections(**kwargs) -> None:
    stamps.renew(SECTIONS_STAMP_KEY)


def body_sections_show(*models) -> None:
    """Any save or delete of these models takes a new stamp for the body pages' sections."""
    for model in models:
        name = f"{model._meta.label}"
        post_save.connect(renew_body_sections, sender=model, dispatch_uid=f"body-sections-stamp-save-{name}")
        post_delete.connect(renew_body_sections, sender=model, dispatch_uid=f"body-sections-stamp-delete-{name}")
