"""Where files that not everybody may see are kept."""

from collections.abc import Callable
from typing import Any

from django.apps.registry import Apps
from django.core.files.storage import Storage, storages
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def private_storage() -> Storage:
    """Forum attachments and profile pictures: outside MEDIA_ROOT, which the web server hands out
    to anybody; views check who asks and stream them. (A callable keeps the storage's settings out
    of the migrations.)"""
    return storages["private"]


def move_to_private_storage(model: str, field_name: str) -> Callable[[Any, Any], None]:
    """For a migration: files stored before this storage existed move out of the public media folder."""

    def move(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        public, private = storages["default"], private_storage()
        names = apps.get_model(model).objects.exclude(**{field_name: ""}).values_list(field_name, flat=True)
        for name in names.iterator():
            if public.exists(name) and not private.exists(name):
                with public.open(name, "rb") as content:
                    private.save(name, content)
                public.delete(name)

    return move
