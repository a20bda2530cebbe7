"""The profile has a switch per kind of notice; it is kept, shown, and stops notices of that kind."""

import re

from django.urls import reverse

from notices import selectors
from notices.models import Notice, OptOut
from notices.services import send_notices
from planning.announcements import PHASE_KIND, PRIORITIES_KIND

PROFILE = reverse("network:profile")


def checkbox(html, value):
    return re.search(rf'<input type="checkbox"[^>]*value="{re.escape(value)}"[^>]*>', html).group()


def profile_form(person, **changes):
    return {"display_name": person.display_name, "notify_by_email": person.notify_by_email, **changes}


def test_switching_a_kind_off_in_the_profile_keeps_its_notices_away(logged_in, make_user):
    person = make_user(display_name="Paula Profil")
    browser = logged_in(person)

    response = browser.post(PROFILE, profile_form(person, notice_kinds=[PRIORITIES_KIND]))

    assert response.status_code == 302
    assert selectors.opted_out_kinds(person) == {PHASE_KIND}
    html = browser.get(PROFILE).content.decode()
    assert "Mitteilungen und E-Mails zu" in html
    assert " checked" in checkbox(html, PRIORITIES_KIND)
    assert " checked" not in checkbox(html, PHASE_KIND)
    assert "neue Phasen der Sozialplanung (Ablauf und Fristen)" in html
    send_notices([person], kind=PHASE_KIND, title="Neue Phase", text="", url="/")
    send_notices([person], kind=PRIORITIES_KIND, title="Priorisiert", text="", url="/")
    assert list(Notice.objects.filter(recipient=person).values_list("title", flat=True)) == ["Priorisiert"]


def test_switching_it_on_again_removes_the_opt_out(logged_in, make_user):
    person = make_user()
    OptOut.objects.create(user=person, kind=PHASE_KIND)

    logged_in(person).post(PROFILE, profile_form(person, notice_kinds=[PHASE_KIND, PRIORITIES_KIND]))

    assert not OptOut.objects.filter(user=person).exists()


def test_an_unknown_kind_is_refused_and_nothing_changes(logged_in, make_user):
    person = make_user()

    response = logged_in(person).post(PROFILE, profile_form(person, notice_kinds=["forum.alles"]))

    assert response.status_code == 200
    assert "forum.alles ist keine gültige Auswahl" in response.content.decode()
    assert not OptOut.objects.exists()
