"""Opening a notice marks it read and leads to the page it is about; only on this site, and only for the
person it was written to."""

import pytest
from django.urls import reverse

from notices import services
from notices.models import Notice
from planning.announcements import PHASE_KIND


def notice_for(person, url="/sozialplanung/2026/"):
    return services.send_notices([person], kind=PHASE_KIND, title="Neue Phase", text="Bitte bewerten.", url=url)[0]


def test_opening_marks_read_and_redirects_to_the_stored_path(logged_in, make_user):
    person = make_user()
    notice = notice_for(person)

    response = logged_in(person).get(reverse("notices:open", args=[notice.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/sozialplanung/2026/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_nobody_opens_another_persons_notice(logged_in, make_user):
    person, other = make_user(), make_user()
    notice = notice_for(person)

    response = logged_in(other).get(reverse("notices:open", args=[notice.pk]))

    assert response.status_code == 403
    assert "Diese Mitteilung ist nicht an Sie gerichtet." in response.content.decode()
    notice.refresh_from_db()
    assert notice.read_at is None


def test_a_visitor_is_asked_to_log_in(client, make_user):
    notice = notice_for(make_user())

    response = client.get(reverse("notices:open", args=[notice.pk]))

    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    notice.refresh_from_db()
    assert notice.read_at is None


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "/\t/evil.example/",
        "javascript:alert(1)",
        "sozialplanung/",
        "",
    ],
)
def test_a_notice_cannot_point_away_from_the_site(make_user, url):
    with pytest.raises(ValueError, match="path on this site"):
        notice_for(make_user(), url)


def test_a_row_changed_by_hand_to_another_site_opens_the_start_page(logged_in, make_user):
    person = make_user()
    notice = notice_for(person)
    Notice.objects.filter(pk=notice.pk).update(url="//evil.example/")

    response = logged_in(person).get(reverse("notices:open", args=[notice.pk]))

    assert response["Location"] == "/"


def test_each_person_is_noticed_once_however_often_listed(make_user):
    person = make_user()

    services.send_notices([person, person, None], kind=PHASE_KIND, title="Neu", text="", url="/")

    assert Notice.objects.filter(recipient=person).count() == 1
