"""A person's notices and switched-off kinds are in their data download and go with their account."""

from core import privacy
from notices.models import Notice, OptOut
from notices.services import send_notices, set_wanted_kinds
from planning.announcements import PHASE_KIND, PRIORITIES_KIND


def test_the_download_holds_the_own_notices_and_switches(make_user):
    person, other = make_user(), make_user()
    send_notices([person], kind=PHASE_KIND, title="Neue Phase", text="Bitte bewerten.", url="/sozialplanung/")
    send_notices([other], kind=PHASE_KIND, title="Fremde Mitteilung", text="", url="/")
    set_wanted_kinds(person, [PHASE_KIND])

    data = privacy.export_personal_data(person)["notices"]

    assert [(n["title"], n["text"], n["url"], n["read_at"]) for n in data["notices"]] == [
        ("Neue Phase", "Bitte bewerten.", "/sozialplanung/", None)
    ]
    assert data["switched_off"] == [PRIORITIES_KIND]


def test_deleting_the_account_removes_its_notices_and_keeps_the_others(make_user):
    person, other = make_user(), make_user()
    send_notices([person, other], kind=PHASE_KIND, title="Neue Phase", text="", url="/")
    set_wanted_kinds(person, [])

    privacy.delete_account(person)

    assert list(Notice.objects.values_list("recipient", flat=True)) == [other.pk]
    assert not OptOut.objects.exists()
