"""The notices' part of a person's data download and account deletion: the notices written to them and
the kinds they switched off. Nothing of it concerns anyone else, so the deletion removes it all."""

from core.privacy import DataSubject, register_part

from .models import Notice, OptOut


def export_personal_data(subject: DataSubject) -> dict:
    return {
        "notices": [
            {
                "kind": notice.kind,
                "title": notice.title,
                "text": notice.text,
                "url": notice.url,
                "created_at": notice.created_at,
                "read_at": notice.read_at,
            }
            for notice in Notice.objects.filter(recipient=subject.user).order_by("created_at", "pk")
        ],
        "switched_off": sorted(OptOut.objects.filter(user=subject.user).values_list("kind", flat=True)),
    }


def erase(subject: DataSubject) -> None:
    Notice.objects.filter(recipient=subject.user).delete()
    OptOut.objects.filter(user=subject.user).delete()


register_part("notices", export=export_personal_data, erase=erase)
