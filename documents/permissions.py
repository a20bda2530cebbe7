"""Who may see a body's library, read a document, upload, sort and publish: the one answer that every
view, download, meeting page and CMS block asks.

Built on `network.access`. The library belongs to the body's members (and its moderation and the
coordination); each document then says who else may read it: the whole network or the public.
Membership is read fresh from the database for every request, so a member who leaves loses the
library and its files with the next click.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.permissions import PermissionDenied, Viewer, allowed
from network import access
from network.models import NetworkBody

from .models import Document, Visibility


def _is_insider(user: Viewer, body: NetworkBody) -> bool:
    return access.can_moderate_body(user, body) or (access.is_professional(user) and access.is_member(user, body))


def check_see_library(user: Viewer, body: NetworkBody) -> None:
    if not _is_insider(user, body):
        raise PermissionDenied(_("Die Ablage eines Gremiums sehen nur seine Mitglieder."))


def check_upload(user: Viewer, body: NetworkBody) -> None:
    """New documents and folders: the body's members."""
    if not _is_insider(user, body):
        raise PermissionDenied(_("Dokumente in die Ablage eines Gremiums legen nur seine Mitglieder."))


def check_set_visibility(user: Viewer, body: NetworkBody, visibility: str) -> None:
    """Members share within the network; publishing for everyone is the moderation's decision."""
    if visibility == Visibility.PUBLIC and not access.can_moderate_body(user, body):
        raise PermissionDenied(
            _("Öffentlich machen nur die Moderation des Gremiums und die Sozialraumkoordination ein Dokument.")
        )


def check_view_document(user: Viewer, document: Document) -> None:
    """Read a document's page and download its files (every version)."""
    if document.visibility == Visibility.PUBLIC or _is_insider(user, document.body):
        return
    if document.visibility == Visibility.NETWORK and access.is_professional(user):
        return
    if document.visibility == Visibility.NETWORK:
        raise PermissionDenied(_("Dieses Dokument ist nur für freigegebene Fachkräfte des Netzwerks sichtbar."))
    raise PermissionDenied(_("Dieses Dokument ist nur für Mitglieder des Gremiums sichtbar."))


def check_upload_version(user: Viewer, document: Document) -> None:
    if not _is_insider(user, document.body):
        raise PermissionDenied(_("Neue Versionen laden nur Mitglieder des Gremiums hoch."))


def check_edit_document(user: Viewer, document: Document) -> None:
    """Title, description, folder and visibility: whoever put it in, and the moderation."""
    if access.can_moderate_body(user, document.body):
        return
    if _is_insider(user, document.body) and user.pk == document.created_by_id:
        return
    raise PermissionDenied(_("Dieses Dokument ändern nur die Person, die es abgelegt hat, und die Moderation."))


def can_see_library(user: Viewer, body: NetworkBody) -> bool:
    return allowed(check_see_library, user, body)


def can_upload(user: Viewer, body: NetworkBody) -> bool:
    return allowed(check_upload, user, body)


def can_publish(user: Viewer, body: NetworkBody) -> bool:
    return allowed(check_set_visibility, user, body, Visibility.PUBLIC)


def can_view_document(user: Viewer, document: Document) -> bool:
    return allowed(check_view_document, user, document)


def can_upload_version(user: Viewer, document: Document) -> bool:
    return allowed(check_upload_version, user, document)


def can_edit_document(user: Viewer, document: Document) -> bool:
    return allowed(check_edit_document, user, document)


def visible_documents(user: Viewer) -> QuerySet[Document]:
    """The same rule as `check_view_document`, as a query, for lists."""
    if access.is_coordinator(user):
        return Document.objects.all()
    rule = Q(visibility=Visibility.PUBLIC)
    if access.is_professional(user):
        rule |= Q(visibility=Visibility.NETWORK)
        rule |= Q(body_id__in=access.member_body_ids(user) | access.moderated_body_ids(user))
    return Document.objects.filter(rule)
