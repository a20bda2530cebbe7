"""A body's CMS page shows the latest forum topics of that body, to those who may read them."""

import pytest

from cms.models import NetworkBodyPage


@pytest.fixture
def body_pages(page_tree, closed_body, open_body):
    return {body.pk: NetworkBodyPage.objects.get(body=body) for body in (closed_body, open_body)}


def test_a_member_sees_the_private_topics_on_the_body_page(
    body_pages, logged_in, closed_body, closed_board, make_topic, member
):
    make_topic(closed_board, member, title="Entwurf Planungspapier 2027")

    html = logged_in(member).get(body_pages[closed_body.pk].url).content.decode()

    assert "Entwurf Planungspapier 2027" in html
    assert closed_board.get_absolute_url() in html


@pytest.mark.parametrize("role", ["anonymous", "professional", "other_moderator"])
def test_outsiders_never_see_private_topics_on_the_body_page(
    body_pages, logged_in, person, closed_body, closed_board, make_topic, member, role
):
    make_topic(closed_board, member, title="Entwurf Planungspapier 2027")

    html = logged_in(person(role)).get(body_pages[closed_body.pk].url).content.decode()

    assert closed_body.name in html, "the body page itself is shown"
    assert "Entwurf Planungspapier 2027" not in html


def test_professionals_see_the_topics_of_an_open_body(
    body_pages, logged_in, open_body, open_board, make_topic, professional
):
    make_topic(open_board, professional, title="Übergang Kita – Schule")

    html = logged_in(professional).get(body_pages[open_body.pk].url).content.decode()

    assert "Übergang Kita – Schule" in html
