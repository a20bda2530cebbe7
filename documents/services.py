"""Operations on a body's library. Each checks the permission once and validates everything (file
included) before it writes a row or a file, so a refused upload leaves nothing behind."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import uploads
from core.permissions import Viewer
from network.models import NetworkBody, User

from . import permissions
from .models import Document, DocumentVersion, Folder, Visibility


def max_bytes() -> int:
    return getattr(settings, "DOCUMENTS_MAX_BYTES", 20 * 1024 * 1024)


def _clean_text(value: str, field: str, *, required: bool = False, limit: int) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationError({field: _("Bitte füllen Sie dieses Feld aus.")})
    if "\x00" in value:
        raise ValidationError({field: _("Bitte ohne Steuerzeichen.")})
    if len(value) > limit:
        raise ValidationError({field: _("Höchstens %(limit)d Zeichen.") % {"limit": limit}})
    return value


def _check_file(upload: File) -> tuple[str, str, str]:
    """(content type, extension, name to show) of an allowed file, or a ValidationError for the file field."""
    try:
        uploads.check_filename(upload.name or "")
        content_type, extension = uploads.detect_type(upload, max_bytes=max_bytes())
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    return content_type, extension, uploads.clean_filename(upload.name or "", extension)


def _check_folder(folder: Folder | None, body: NetworkBody) -> None:
    if folder is not None and folder.body_id != body.pk:
        raise ValidationError({"folder": _("Dieser Ordner gehört zur Ablage eines anderen Gremiums.")})


def _check_visibility(user: Viewer, body: NetworkBody, visibility: str) -> None:
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": _("Unbekannte Sichtbarkeit.")})
    permissions.check_set_visibility(user, body, visibility)


def _add_version(
    document: Document, upload: File, checked: tuple[str, str, str], user: User, comment: str
) -> DocumentVersion:
    content_type, extension, name = checked
    last = document.versions.aggregate(last=Max("number"))["last"] or 0
    version = DocumentVersion(
        document=document,
        number=last + 1,
        original_name=name,
        content_type=content_type,
        extension=extension,
        size=upload.size or 0,
        comment=comment,
        uploaded_by=user,
        uploaded_at=timezone.now(),
    )
    version.file.save(name, upload, save=False)
    try:
        version.save()
        document.current = version
        document.updated_at = version.uploaded_at
        document.save(update_fields=["current", "updated_at"])
    except Exception:
        # No row points to the file: it must not stay behind in the storage.
        version.file.storage.delete(version.file.name)
        raise
    return version


@transaction.atomic
def create_folder(user: User, body: NetworkBody, name: str) -> Folder:
    permissions.check_upload(user, body)
    name = " ".join(_clean_text(name, "name", required=True, limit=100).split())
    if "/" in name or "\\" in name:
        raise ValidationError({"name": _("Ordnernamen dürfen keinen Schrägstrich enthalten.")})
    if Folder.objects.filter(body=body, name__iexact=name).exists():
        raise ValidationError({"name": _("Einen Ordner „%(name)s“ gibt es in dieser Ablage schon.") % {"name": name}})
    return Folder.objects.create(body=body, name=name, created_by=user)


@transaction.atomic
def upload_document(
    user: User,
    body: NetworkBody,
    upload: File,
    *,
    title: str = "",
    description: str = "",
    folder: Folder | None = None,
    visibility: str = Visibility.MEMBERS,
) -> Document:
    """A new document with its first version. Without a title the file's name (without extension) is used."""
    permissions.check_upload(user, body)
    _check_visibility(user, body, visibility)
    _check_folder(folder, body)
    checked = _check_file(upload)
    title = _clean_text(title, "title", limit=200) or checked[2].rsplit(".", 1)[0][:200]
    description = _clean_text(description, "description", limit=2000)
    document = Document.objects.create(
        body=body, folder=folder, title=title, description=description, visibility=visibility, created_by=user
    )
    _add_version(document, upload, checked, user, comment="")
    return document


@transaction.atomic
def upload_version(user: User, document: Document, upload: File, *, comment: str = "") -> DocumentVersion:
    """A new version of a document; the older ones stay and can still be downloaded."""
    permissions.check_upload_version(user, document)
    checked = _check_file(upload)
    comment = _clean_text(comment, "comment", limit=300)
    # The row lock gives two versions uploaded at the same moment distinct numbers.
    document = Document.objects.select_for_update().get(pk=document.pk)
    return _add_version(document, upload, checked, user, comment)


@transaction.atomic
def update_document(
    user: Viewer, document: Document, *, title: str, description: str, folder: Folder | None, visibility: str
) -> Document:
    permissions.check_edit_document(user, document)
    if visibility != document.visibility:
        _check_visibility(user, document.body, visibility)
    _check_folder(folder, document.body)
    document.title = _clean_text(title, "title", required=True, limit=200)
    document.description = _clean_text(description, "description", limit=2000)
    document.folder = folder
    document.visibility = visibility
    document.save(update_fields=["title", "description", "folder", "visibility"])
    return document
