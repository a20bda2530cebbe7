"""A person's minutes and tasks are in their data download; deleting the account leaves the minutes without the name."""

import json

from django.urls import reverse

from core.privacy import delete_account
from minutes.models import Minutes, Revision


def test_the_download_holds_the_persons_tasks_and_attendance(published, member, logged_in):
    data = json.loads(logged_in(member).get(reverse("network:personal_data_download")).content)
    (task,) = data["minutes"]["tasks"]
    assert task["what"] == "Stellungnahme an das Jugendamt schicken"
    assert [row["meeting"] for row in data["minutes"]["listed_as_present"]] == ["Sitzung der Lenkungsrunde"]


def test_deleting_an_account_keeps_the_minutes_but_not_the_name(published, member):
    delete_account(member)
    minutes = Minutes.objects.get(pk=published.pk)
    assert minutes.tasks.get().owner is None
    assert minutes.text.startswith("## Bericht")
    for revision in Revision.objects.filter(minutes=minutes):
        assert "Mia Mitglied" not in json.dumps(revision.present + revision.tasks, ensure_ascii=False)
    assert "gelöschte Person" in Revision.objects.filter(minutes=minutes).order_by("-number").first().present
