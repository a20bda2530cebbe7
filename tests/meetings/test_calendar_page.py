"""The network calendar: a list and a month grid of what the visitor may see; "Meine Termine" on "Meine Gremien"."""

from django.urls import reverse

from .conftest import berlin


def test_the_month_view_puts_each_meeting_on_its_local_day(schedule, member, logged_in):
    schedule(title="Spätsitzung", start=berlin(2030, 3, 31, 23, 30), end=berlin(2030, 4, 1, 0, 30))
    schedule(title="Aprilrunde", start=berlin(2030, 4, 9, 16))

    html = (
        logged_in(member).get(reverse("meetings:calendar"), {"ansicht": "monat", "monat": "2030-03"}).content.decode()
    )

    assert "März 2030" in html
    assert "23:30 Spätsitzung" in html
    assert "Aprilrunde" not in html
    assert 'href="?ansicht=monat&amp;monat=2030-04"' in html and 'href="?ansicht=monat&amp;monat=2030-02"' in html


def test_a_month_that_makes_no_sense_shows_the_current_one(db, client):
    for value in ("2030-13", "abc", "99999-1", "-1-1", ""):
        response = client.get(reverse("meetings:calendar"), {"ansicht": "monat", "monat": value})
        assert response.status_code == 200
        assert "Sitzungskalender des Netzwerks" in response.content.decode()


def test_the_list_shows_members_only_meetings_only_to_members(schedule, member, professional, logged_in, client):
    schedule(title="Interne Haushaltsberatung", start=berlin(2030, 5, 6, 10))
    schedule(title="Offene Sprechstunde", start=berlin(2030, 5, 7, 10), visibility="public")

    members_list = logged_in(member).get(reverse("meetings:calendar")).content.decode()
    public_list = client.get(reverse("meetings:calendar")).content.decode()
    professionals_list = logged_in(professional).get(reverse("meetings:calendar")).content.decode()

    assert "Interne Haushaltsberatung" in members_list and "Offene Sprechstunde" in members_list
    assert "Interne Haushaltsberatung" not in public_list + professionals_list
    assert "Offene Sprechstunde" in public_list


def test_my_meetings_appear_on_my_bodies(schedule, member, logged_in):
    schedule(title="Interne Haushaltsberatung", start=berlin(2030, 5, 6, 10))

    html = logged_in(member).get(reverse("network:my_bodies")).content.decode()

    assert "Meine Termine" in html and "Interne Haushaltsberatung" in html
