"""Reads of the libraries, also for the apps above (meetings' agenda papers, the CMS block)."""

from collections.abc import Iterable

from django.db.models import Count, QuerySet

from core.permissions import Viewer
from network.models import NetworkBody

from . import permissions
from .models import Document, DocumentVersion, Folder, Visibility


def _with_relations(documents: QuerySet[Document]) -> QuerySet[Document]:
    return documents.select_related("body", "folder", "current", "current__uploaded_by", "created_by")


def library(body: NetworkBody, user: Viewer, folder: Folder | None = None) -> list[Document]:
    """The documents of a body's library that this person may read, newest change first."""
    documents = permissions.visible_documents(user).filter(body=body)
    if folder is not None:
        documents = documents.filter(folder=folder)
    return list(_with_relations(documents))


def folders_of(body: NetworkBody) -> QuerySet[Folder]:
    return Folder.objects.filter(body=body).annotate(document_count=Count("documents"))


def recent_for_body(body: NetworkBody, user: Viewer, limit: int = 5) -> list[Document]:
    return list(_with_relations(permissions.visible_documents(user).filter(body=body))[:limit])


def documents_of_body(body: NetworkBody) -> QuerySet[Document]:
    """Every document of a body, for choosing agenda papers (the moderation sees them all)."""
    return _with_relations(Document.objects.filter(body=body)).order_by("title", "pk")


def readable(documents: Iterable[Document], user: Viewer) -> tuple[list[Document], int]:
    """The documents this person may read, and how many others there are (papers of a meeting)."""
    documents = list(documents)
    shown = [document for document in documents if permissions.can_view_document(user, document)]
    return shown, len(documents) - len(shown)


def public_documents() -> QuerySet[Document]:
    """Documents anyone may read: what the CMS may link to."""
    return _with_relations(Document.objects.filter(visibility=Visibility.PUBLIC)).order_by("body__name", "title")


def public_document(key: str) -> Document | None:
    return public_documents().filter(key=key).first()


def versions_of(document: Document) -> QuerySet[DocumentVersion]:
    return document.versions.select_related("uploaded_by")
