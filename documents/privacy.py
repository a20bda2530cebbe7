"""The libraries' part of a person's data download and account deletion.

The download lists the versions the person uploaded. Documents belong to their body's work, so they
stay in the library when the account goes; the uploader's name is then gone (uploaded_by is set
to NULL by the database) and the pages say "ehemaliges Mitglied".
"""

from core.privacy import register_part

from .models import DocumentVersion


def export_personal_data(user) -> dict:
    versions = DocumentVersion.objects.filter(uploaded_by=user).select_related("document", "document__body")
    return {
        "uploaded_versions": [
            {
                "document": version.document.title,
                "body": version.document.body.name,
                "version": version.number,
                "file_name": version.original_name,
                "comment": version.comment,
                "uploaded_at": version.uploaded_at,
            }
            for version in versions.order_by("uploaded_at")
        ]
    }


register_part("documents", export=lambda subject: export_personal_data(subject.user))
