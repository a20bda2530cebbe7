"""The newsletter archive: 20 editions a page, the same few queries with 3 editions as with 25, and a
send that starts shows its edition at once (the list is a cached fragment, newsletter.models)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsletter.models import Send


def sent(edition, status=Send.Status.DONE):
    return Send.objects.create(edition=edition, status=status, all_professionals=True)


def warm_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_archive_pages_twenty_editions_at_the_same_few_queries(archive, make_edition, logged_in, professional):
    visitor, member = logged_in(None), logged_in(professional)
    editions = [make_edition(title=f"Ausgabe {n:02d} des Jahres") for n in range(3)]
    for edition in editions:
        sent(edition)
    small = [warm_queries(visitor, archive.url)[0], warm_queries(member, archive.url)[0]]

    for n in range(3, 25):
        sent(make_edition(title=f"Ausgabe {n:02d} des Jahres"))
    (visitor_queries, first), (member_queries, _html) = (warm_queries(visitor, archive.url),
                                                          warm_queries(member, archive.url))  # fmt: skip

    assert [visitor_queries, member_queries] == small
    assert max(small) <= 10
    assert first.count("des Jahres</a>") == 20
    second = visitor.get(archive.url + "?seite=2").content.decode()
    assert second.count("des Jahres</a>") == 5
    assert "Ausgabe 00 des Jahres" in first + second and "Ausgabe 24 des Jahres" in first + second
    assert 'aria-current="page"><span class="visually-hidden">Seite </span>2' in second


def test_an_edition_shows_in_the_archive_as_soon_as_its_send_starts_and_leaves_while_paused(
    archive, make_edition, client
):
    sent(make_edition(title="Frühjahrsausgabe"))
    edition = make_edition(title="Sommerausgabe")
    send = sent(edition, Send.Status.DRAFT)
    assert "Sommerausgabe" not in client.get(archive.url).content.decode()

    Send.objects.filter(pk=send.pk).update(status=Send.Status.RUNNING)
    assert "Sommerausgabe" in client.get(archive.url).content.decode()

    Send.objects.filter(pk=send.pk).update(status=Send.Status.PAUSED)
    html = client.get(archive.url).content.decode()
    assert "Sommerausgabe" not in html and "Frühjahrsausgabe" in html


def test_a_bad_page_number_shows_the_last_page(archive, make_edition, client):
    sent(make_edition(title="Einzige Ausgabe"))
    response = client.get(archive.url + "?seite=99")
    assert response.status_code == 200
    assert "Einzige Ausgabe" in response.content.decode()
