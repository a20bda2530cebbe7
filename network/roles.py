"""The Django groups behind the roles Redaktion and Sozialraumkoordination, with their permissions."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from .access import COORDINATION_GROUP, EDITORS_GROUP

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = [
    ("wagtailimages", ["add_image", "change_image", "choose_image"]),
    ("wagtaildocs", ["add_document", "change_document", "choose_document"]),
]
EDITOR_MODEL_PERMISSIONS = [("wagtailadmin", "access_admin")]
COORDINATION_APPS = ["network", "cms", "forum", "newsletter"]


def ensure_role_groups():
    """Create or complete both groups; safe to run any number of times."""
    editors, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    coordination, _ = Group.objects.get_or_create(name=COORDINATION_GROUP)

    base = Permission.objects.filter(
        Q(content_type__app_label="wagtailadmin", codename="access_admin")
        | Q(content_type__app_label="cms", codename__startswith="view_")
    )
    editors.permissions.add(*base)
    coordination.permissions.add(*base)
    coordination.permissions.add(*Permission.objects.filter(content_type__app_label__in=COORDINATION_APPS))
    coordination.permissions.add(*Permission.objects.filter(content_type__app_label="wagtailsettings"))

    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    for group in (editors, coordination):
        if root_page is not None:
            for codename in PAGE_PERMISSIONS:
                permission = Permission.objects.filter(content_type__app_label="wagtailcore", codename=codename).first()
                if permission:
                    GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=permission)
        if root_collection is not None:
            for app_label, codenames in COLLECTION_PERMISSIONS:
                for permission in Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames):
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=permission
                    )
    return editors, coordination
