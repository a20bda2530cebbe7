"""The member's dashboard ("Meine Gremien") opens with the unread notices and a link to all of them."""

from django.urls import reverse

DASHBOARD = reverse("network:my_bodies")


def test_the_unread_notices_come_first_on_the_dashboard(logged_in, make_user, make_notices, closed_body, add_member):
    person = make_user()
    add_member(person, closed_body)
    make_notices(person, 8, read=1)

    html = logged_in(person).get(DASHBOARD).content.decode()

    section = html[html.index('id="notices-title"') : html.index("</section>", html.index('id="notices-title"'))]
    assert "Neue Mitteilungen" in section
    # The five newest unread ones; the read one and older unread ones wait on the notices page.
    assert [n for n in range(1, 9) if f">Mitteilung {n}<" in section] == [4, 5, 6, 7, 8]
    assert f'<a href="{reverse("notices:list")}">Alle Mitteilungen (7 ungelesen)</a>' in section
    assert html.index('id="notices-title"') < html.index('id="memberships-title"')


def test_without_unread_notices_the_dashboard_only_links_to_them(logged_in, make_user, make_notices):
    person = make_user()
    make_notices(person, 2, read=2)

    html = logged_in(person).get(DASHBOARD).content.decode()

    assert 'id="notices-title"' not in html
    assert f'<a href="{reverse("notices:list")}">Alle Mitteilungen</a>' in html
    assert "(keine ungelesenen)" in html
