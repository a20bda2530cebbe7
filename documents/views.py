from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.downloads import private_file_response
from core.permissions import message_of
from network.models import NetworkBody

from . import permissions, selectors, services
from .forms import DocumentFieldsForm, FolderForm, UploadForm, VersionForm
from .models import Document, DocumentVersion, Folder

MAX_ID = 2**63 - 1


def _document(key):
    return get_object_or_404(Document.objects.select_related("body", "folder", "current"), key=key)


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item)
    else:
        form.add_error(None, error)


def _folder_from_query(request, body):
    raw = request.GET.get("ordner", "")
    if not raw:
        return None
    if not raw.isdigit() or int(raw) > MAX_ID:
        raise Http404
    return get_object_or_404(Folder, pk=int(raw), body=body)


def library(request, slug):
    body = get_object_or_404(NetworkBody, slug=slug)
    permissions.check_see_library(request.user, body)
    folder = _folder_from_query(request, body)
    return render(
        request,
        "documents/library.html",
        {
            "body": body,
            "folder": folder,
            "folders": selectors.folders_of(body),
            "documents": selectors.library(body, request.user, folder),
            "folder_form": FolderForm(),
            "can_upload": permissions.can_upload(request.user, body),
        },
    )


def upload(request, slug):
    body = get_object_or_404(NetworkBody, slug=slug)
    permissions.check_upload(request.user, body)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        body=body,
        can_publish=permissions.can_publish(request.user, body),
        max_size=filesizeformat(services.max_bytes()),
        initial={"folder": _folder_from_query(request, body)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.upload_document(
                request.user,
                body,
                data["file"],
                title=data["title"],
                description=data["description"],
                folder=data["folder"],
                visibility=data["visibility"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as error:
            form.add_error("visibility", message_of(error))
        else:
            messages.success(request, _("Das Dokument „%(title)s“ liegt jetzt in der Ablage.") % {"title": document})
            return redirect(document)
    return render(request, "documents/upload.html", {"body": body, "form": form})


@login_required
@require_POST
def folder_create(request, slug):
    body = get_object_or_404(NetworkBody, slug=slug)
    permissions.check_upload(request.user, body)
    form = FolderForm(request.POST)
    if form.is_valid():
        try:
            folder = services.create_folder(request.user, body, form.cleaned_data["name"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Der Ordner „%(name)s“ ist angelegt.") % {"name": folder.name})
            return redirect(reverse("documents:library", args=[body.slug]) + f"?ordner={folder.pk}")
    else:
        messages.error(request, _("Bitte geben Sie einen Namen (höchstens 100 Zeichen) für den Ordner an."))
    return redirect(reverse("documents:library", args=[body.slug]))


def detail(request, key):
    document = _document(key)
    permissions.check_view_document(request.user, document)
    return render(
        request,
        "documents/document_detail.html",
        {
            "document": document,
            "body": document.body,
            "versions": selectors.versions_of(document),
            "can_see_library": permissions.can_see_library(request.user, document.body),
            "can_upload_version": permissions.can_upload_version(request.user, document),
            "can_edit": permissions.can_edit_document(request.user, document),
        },
    )


def upload_version(request, key):
    document = _document(key)
    permissions.check_upload_version(request.user, document)
    form = VersionForm(request.POST or None, request.FILES or None, max_size=filesizeformat(services.max_bytes()))
    if request.method == "POST" and form.is_valid():
        try:
            version = services.upload_version(
                request.user, document, form.cleaned_data["file"], comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(number)s von „%(title)s“ ist gespeichert.")
                % {"number": version.number, "title": document},
            )
            return redirect(document)
    return render(request, "documents/upload_version.html", {"document": document, "body": document.body, "form": form})


def edit(request, key):
    document = _document(key)
    permissions.check_edit_document(request.user, document)
    form = DocumentFieldsForm(
        request.POST or None,
        body=document.body,
        can_publish=permissions.can_publish(request.user, document.body) or document.visibility == "public",
        initial={
            "title": document.title,
            "description": document.description,
            "folder": document.folder,
            "visibility": document.visibility,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_document(
                request.user,
                document,
                title=data["title"],
                description=data["description"],
                folder=data["folder"],
                visibility=data["visibility"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as error:
            form.add_error("visibility", message_of(error))
        else:
            messages.success(request, _("Die Angaben zum Dokument sind gespeichert."))
            return redirect(document)
    return render(request, "documents/document_edit.html", {"document": document, "body": document.body, "form": form})


def download(request, key):
    """Every version's file, only through the one permission check of its document."""
    version = get_object_or_404(DocumentVersion.objects.select_related("document", "document__body"), key=key)
    permissions.check_view_document(request.user, version.document)
    return private_file_response(
        version.file, filename=version.original_name, content_type=version.content_type, inline=version.is_inline
    )
