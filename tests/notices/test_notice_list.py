"""The notices page lists a person's notices newest first, marks the unread ones in words as well as by
their look, pages through many, and marks them all read on request."""

import re

from django.urls import reverse

from notices.models import Notice

LIST_URL = reverse("notices:list")


def items(html):
    return re.findall(r'<li class="card inbox__item( inbox__item--unread)?">(.*?)</li>', html, re.S)


def test_the_newest_come_first_and_the_unread_say_so(logged_in, make_user, make_notices):
    person = make_user()
    make_notices(person, 4, read=2)

    html = logged_in(person).get(LIST_URL).content.decode()

    listed = items(html)
    titles = [re.search(r"Mitteilung \d+", body).group() for _unread, body in listed]
    assert titles == ["Mitteilung 4", "Mitteilung 3", "Mitteilung 2", "Mitteilung 1"]
    assert [bool(unread) for unread, _body in listed] == [True, True, False, False]
    assert ['badge--unread">ungelesen<' in body for _unread, body in listed] == [True, True, False, False]
    assert "Alle als gelesen markieren" in html


def test_someone_elses_notices_are_not_listed(logged_in, make_user, make_notices):
    person, other = make_user(), make_user()
    make_notices(other, 2)

    html = logged_in(person).get(LIST_URL).content.decode()

    assert "Sie haben noch keine Mitteilungen." in html
    assert "Mitteilung 1" not in html
    assert "Alle als gelesen markieren" not in html


def test_many_notices_are_paged_with_a_fixed_number_of_queries(
    logged_in, make_user, make_notices, django_assert_max_num_queries
):
    person = make_user()
    make_notices(person, 45, read=5)
    browser = logged_in(person)
    browser.get(LIST_URL)  # the session and the site are cached after the first visit

    # session, user, second-factor check, roles, the CMS's navigation, count + page of notices, the badge
    with django_assert_max_num_queries(12):
        first = browser.get(LIST_URL).content.decode()
    with django_assert_max_num_queries(12):
        last = browser.get(LIST_URL + "?seite=3").content.decode()

    assert len(items(first)) == 20 and "Mitteilung 45" in first
    assert len(items(last)) == 5 and "Mitteilung 1<" in last
    assert 'rel="next"' in first


def test_all_can_be_marked_read_at_once(logged_in, make_user, make_notices):
    person, other = make_user(), make_user()
    make_notices(person, 3)
    make_notices(other, 2)

    response = logged_in(person).post(reverse("notices:mark_all_read"), follow=True)

    assert "Alle Mitteilungen sind als gelesen markiert." in response.content.decode()
    assert not Notice.objects.filter(recipient=person, read_at__isnull=True).exists()
    assert Notice.objects.filter(recipient=other, read_at__isnull=True).count() == 2
