"""Every CMS page type renders its content; the page tree follows its rules; events take registrations."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from wagtail.models import Page
from wagtail.rich_text import RichText

from cms.models import (
    EventIndexPage,
    EventPage,
    EventRegistration,
    FormatIndexPage,
    FormatPage,
    HomePage,
    NetworkBodyPage,
    NetworkIndexPage,
    NewsIndexPage,
    NewsPage,
    StandardPage,
)


def html_of(page, browser=None):
    response = (browser or Client()).get(page.url)
    assert response.status_code == 200, f"{page.url} answered {response.status_code}"
    return response.content.decode()


@pytest.fixture
def format_pages(page_tree):
    def add(title, **fields):
        defaults = {
            "category": FormatPage.Category.BETEILIGUNG,
            "gegenstandsbereich": "<p>Beteiligung junger Menschen an der Stadtentwicklung.</p>",
            "zielgruppe": "<p>Kinder und Jugendliche aus Teltow</p>",
            "zielsetzung": "<p>Mitsprache bei Spielplätzen und Jugendtreffs</p>",
            "umsetzung": "<p>Ein Forum pro Jahr im Rathaus</p>",
            "kontakt": "Sachgebiet Soziales und Sport, soziales@example.org",
        }
        return page_tree.formats.add_child(instance=FormatPage(title=title, **{**defaults, **fields}))

    return add


@pytest.fixture
def make_event(page_tree):
    def make(title="Sozialraumkonferenz 2026", **fields):
        fields.setdefault("start", timezone.now() + timedelta(days=30))
        fields.setdefault("location", "Stubenrauchsaal, Teltow")
        fields.setdefault("intro", "Alle Akteure des Netzwerks treffen sich.")
        return page_tree.events.add_child(instance=EventPage(title=title, **fields))

    return make


# --- every page type renders ------------------------------------------------------------------


def test_home_page_shows_its_intro_and_the_latest_news_and_events(page_tree, make_event):
    page_tree.news.add_child(instance=NewsPage(title="Neue Fokusgruppe Inklusion", intro="Sie startet im Herbst."))
    make_event("Sitzung der Lenkungsrunde")

    html = html_of(page_tree.home)

    assert "Gemeinsam im Sozialraum." in html
    assert "Neue Fokusgruppe Inklusion" in html
    assert "Sitzung der Lenkungsrunde" in html


def test_standard_page_shows_its_stream_content(page_tree):
    page = page_tree.home.add_child(
        instance=StandardPage(
            title="Über das Netzwerk",
            intro="Wie das Netzwerk arbeitet.",
            body=[
                ("heading", {"text": "Der Sozialplanungsprozess", "level": "h2"}),
                ("paragraph", RichText("<p>Die Fokusgruppen arbeiten der Lenkungsrunde zu.</p>")),
                ("quote", {"text": "Wissen muss zwischen den Gruppen wandern.", "source": "Sozialraumkonzept"}),
            ],
        )
    )

    html = html_of(page)

    assert "Über das Netzwerk" in html
    assert "Wie das Netzwerk arbeitet." in html
    assert re.search(r"<h2[^>]*>\s*Der Sozialplanungsprozess\s*</h2>", html)
    assert "Die Fokusgruppen arbeiten der Lenkungsrunde zu." in html
    assert "Wissen muss zwischen den Gruppen wandern." in html


def test_network_index_and_body_page_show_the_body(page_tree, make_body):
    make_body("FG Jugendarbeit", slug="fg-jugendarbeit", purpose="Jugendfreizeiteinrichtungen und Schulsozialarbeit.")
    body_page = NetworkBodyPage.objects.get(body__slug="fg-jugendarbeit")

    assert "FG Jugendarbeit" in html_of(page_tree.network)
    assert "Jugendfreizeiteinrichtungen und Schulsozialarbeit." in html_of(body_page)


def test_format_index_groups_the_formats(page_tree, format_pages):
    format_pages("Kinder- und Jugendforum", since_year=2019)
    format_pages("Helfende Hände", category=FormatPage.Category.ENGAGEMENT, since_year=2020)

    html = html_of(page_tree.formats)

    beteiligung = re.search(r"<h2[^>]*>\s*Beteiligung\s*</h2>", html)
    engagement = re.search(r"<h2[^>]*>\s*Freiwilliges Engagement\s*</h2>", html)
    assert beteiligung and engagement, "each category has its own heading"
    assert beteiligung.end() < html.index("Kinder- und Jugendforum") < engagement.start()
    assert engagement.end() < html.index("Helfende Hände")


def test_active_format_shows_its_start_year_and_results(format_pages):
    page = format_pages("Kinder- und Jugendforum", since_year=2019, ergebnisse="<p>Ein neuer Bolzplatz am Kanal.</p>")

    html = html_of(page)

    assert "seit 2019" in html
    assert "in Planung" not in html
    assert re.search(r"<dt>\s*Ergebnisse\s*</dt>", html)
    assert "Bisherige Überlegungen" not in html
    assert "Ein neuer Bolzplatz am Kanal." in html
    assert "Mitsprache bei Spielplätzen und Jugendtreffs" in html
    assert "Sachgebiet Soziales und Sport" in html


def test_planned_format_shows_in_planung_and_previous_considerations(format_pages):
    page = format_pages(
        "Jugendbeirat",
        status=FormatPage.Status.PLANNED,
        ergebnisse="<p>Ein Beirat mit gewählten Jugendlichen.</p>",
    )

    html = html_of(page)

    assert "in Planung" in html
    assert not re.search(r"\bseit \d{4}", html)
    assert re.search(r"<dt>\s*Bisherige Überlegungen\s*</dt>", html)
    assert not re.search(r"<dt>\s*Ergebnisse\s*</dt>", html)
    assert "Ein Beirat mit gewählten Jugendlichen." in html


def test_an_active_format_needs_its_start_year(format_pages):
    with pytest.raises(ValidationError) as error:
        format_pages("Bürgerhaushalt", status=FormatPage.Status.ACTIVE, since_year=None)

    assert "since_year" in error.value.message_dict


def test_news_index_and_news_page_show_the_news(page_tree):
    news = page_tree.news.add_child(
        instance=NewsPage(
            title="Planungspapier beschlossen",
            intro="Die Stadtverordneten haben das Planungspapier angenommen.",
            body=[("paragraph", RichText("<p>Drei Vorhaben kommen in den Haushalt.</p>"))],
        )
    )

    assert "Planungspapier beschlossen" in html_of(page_tree.news)
    html = html_of(news)
    assert "Die Stadtverordneten haben das Planungspapier angenommen." in html
    assert "Drei Vorhaben kommen in den Haushalt." in html


def test_event_index_separates_upcoming_and_past_events(page_tree, make_event):
    make_event("Konferenz im Herbst")
    make_event("Konferenz im letzten Jahr", start=timezone.now() - timedelta(days=300))

    html = html_of(page_tree.events)

    assert "Konferenz im Herbst" in html
    assert "Konferenz im letzten Jahr" in html
    assert html.index("Konferenz im Herbst") < html.index("Konferenz im letzten Jahr")


def test_event_page_shows_time_place_and_body(page_tree, make_event, make_body):
    body = make_body("Lenkungsrunde Sozialplanung", slug="lenkungsrunde")
    event = make_event(
        "Sitzung der Lenkungsrunde",
        network_body=body,
        body=[("paragraph", RichText("<p>Tagesordnung folgt.</p>"))],
    )

    html = html_of(event)

    assert "Sitzung der Lenkungsrunde" in html
    assert "Stubenrauchsaal, Teltow" in html
    assert "Tagesordnung folgt." in html
    assert "Lenkungsrunde Sozialplanung" in html


# --- the page tree ----------------------------------------------------------------------------


def test_page_types_can_only_be_created_where_they_belong(page_tree):
    home, network, formats, news, events = (
        page_tree.home,
        page_tree.network,
        page_tree.formats,
        page_tree.news,
        page_tree.events,
    )
    standard = home.add_child(instance=StandardPage(title="Impressum"))

    assert FormatPage.can_create_at(formats)
    assert not FormatPage.can_create_at(home)
    assert not FormatPage.can_create_at(news)
    assert NetworkBodyPage.can_create_at(network)
    assert not NetworkBodyPage.can_create_at(home)
    assert NewsPage.can_create_at(news)
    assert not NewsPage.can_create_at(events)
    assert EventPage.can_create_at(events)
    assert not EventPage.can_create_at(home)
    assert StandardPage.can_create_at(home)
    assert StandardPage.can_create_at(standard)
    assert not StandardPage.can_create_at(formats)
    assert FormatIndexPage.can_create_at(home)
    assert not NewsIndexPage.can_create_at(standard)
    assert not EventIndexPage.can_create_at(events)


def test_there_is_only_one_home_page_and_one_network_index(page_tree):
    root = Page.get_first_root_node()

    assert not HomePage.can_create_at(root)
    assert not NetworkIndexPage.can_create_at(page_tree.home)


def test_index_pages_only_take_their_own_children(page_tree):
    assert NetworkIndexPage.allowed_subpage_models() == [NetworkBodyPage]
    assert FormatIndexPage.allowed_subpage_models() == [FormatPage]
    assert NewsIndexPage.allowed_subpage_models() == [NewsPage]
    assert EventIndexPage.allowed_subpage_models() == [EventPage]
    for leaf in (NetworkBodyPage, FormatPage, NewsPage, EventPage):
        assert leaf.allowed_subpage_models() == []


# --- event registration -----------------------------------------------------------------------


@pytest.fixture
def register(django_capture_on_commit_callbacks):
    def post(event, browser=None, **fields):
        data = {"name": "Anna Beispiel", "email": "anna@example.org", "organisation": "Kita Sonnenschein", **fields}
        with django_capture_on_commit_callbacks(execute=True):
            return (browser or Client()).post(f"/veranstaltungen/{event.pk}/anmelden/", data, follow=True)

    return post


def test_a_registration_is_stored_and_confirmed_by_mail(make_event, register, mailoutbox):
    event = make_event(registration_open=True)

    response = register(event, remarks="Ich brauche einen barrierefreien Zugang.")

    assert response.redirect_chain[-1][0] == event.url
    registration = EventRegistration.objects.get(event=event)
    assert registration.name == "Anna Beispiel"
    assert registration.remarks == "Ich brauche einen barrierefreien Zugang."
    assert "Vielen Dank! Ihre Anmeldung ist eingegangen" in response.content.decode()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["anna@example.org"]
    assert "Sozialraumkonferenz 2026" in mailoutbox[0].subject
    assert event.url in mailoutbox[0].body


def test_a_logged_in_professional_registration_is_linked_to_the_account(make_event, register, logged_in, professional):
    event = make_event(registration_open=True)

    register(event, browser=logged_in(professional), email=professional.email)

    assert EventRegistration.objects.get(event=event).user == professional


def test_the_same_address_cannot_register_twice(make_event, register, mailoutbox):
    event = make_event(registration_open=True)
    register(event, email="anna@example.org")

    response = register(event, email="Anna@Example.ORG", name="Anna noch einmal")

    assert EventRegistration.objects.filter(event=event).count() == 1
    assert response.status_code == 200
    assert "Mit dieser E-Mail-Adresse ist bereits jemand angemeldet." in response.content.decode()
    assert len(mailoutbox) == 1


def test_the_same_address_may_register_for_another_event(make_event, register):
    register(make_event("Konferenz 2026", registration_open=True))
    register(make_event("Konferenz 2027", registration_open=True))

    assert EventRegistration.objects.count() == 2


@pytest.mark.parametrize(
    ("settings_of_event", "message"),
    [
        ({"registration_open": False}, "Für diesen Termin ist keine Anmeldung vorgesehen."),
        (
            {"registration_open": True, "registration_deadline": "past"},
            "Die Anmeldefrist ist abgelaufen.",
        ),
        ({"registration_open": True, "start": "past"}, "Die Anmeldefrist ist abgelaufen."),
    ],
    ids=["closed", "deadline-passed", "event-over"],
)
def test_registration_is_refused_when_it_is_not_possible(make_event, register, mailoutbox, settings_of_event, message):
    fields = dict(settings_of_event)
    for key, value in fields.items():
        if value == "past":
            fields[key] = timezone.now() - timedelta(hours=1)
    event = make_event(**fields)

    response = register(event)

    assert not EventRegistration.objects.exists()
    assert message in response.content.decode()
    assert mailoutbox == []


def test_the_last_seat_can_be_taken_and_then_registrations_go_to_the_waiting_list(make_event, register):
    event = make_event(registration_open=True, capacity=1)
    register(event, email="erste@example.org")

    response = register(event, email="zweite@example.org")

    assert list(EventRegistration.objects.values_list("email", "status")) == [
        ("erste@example.org", "confirmed"),
        ("zweite@example.org", "waitlisted"),
    ]
    assert "Sie stehen auf der Warteliste (Platz 1)" in response.content.decode()


def test_an_invalid_registration_shows_the_form_again(make_event, register):
    event = make_event(registration_open=True)

    response = register(event, email="keine-adresse", name="")

    assert response.status_code == 200
    assert not EventRegistration.objects.exists()
    assert 'name="email"' in response.content.decode()


# --- search -----------------------------------------------------------------------------------


def test_search_finds_a_page_by_a_word_in_its_body(page_tree, client):
    page_tree.home.add_child(
        instance=StandardPage(
            title="Nachbarschaftshilfe",
            body=[("paragraph", RichText("<p>Dienstags gibt es ein Quartiersfrühstück im Familienzentrum.</p>"))],
        )
    )

    found = client.get("/suche/", {"q": "Quartiersfrühstück"})
    nothing = client.get("/suche/", {"q": "Schwertfischzucht"})

    assert found.status_code == 200
    assert "Nachbarschaftshilfe" in found.content.decode()
    assert nothing.status_code == 200
    assert "Schwertfischzucht" in nothing.content.decode(), "the page names what was searched"
    assert "Nachbarschaftshilfe" not in nothing.content.decode()


def test_search_leaves_out_unpublished_pages(page_tree, client):
    draft = page_tree.home.add_child(
        instance=StandardPage(title="Entwurf zum Quartiersfrühstück", intro="Quartiersfrühstück im Entwurf.")
    )
    draft.unpublish()

    published = page_tree.home.add_child(
        instance=StandardPage(title="Quartiersfrühstück im Familienzentrum", intro="Quartiersfrühstück, dienstags.")
    )

    html = client.get("/suche/", {"q": "Quartiersfrühstück"}).content.decode()

    assert published.title in html
    assert "Entwurf zum Quartiersfrühstück" not in html


def test_footer_and_menu_follow_the_editors_changes(page_tree, client):
    from wagtail.models import Site

    from cms.models import SiteLinks, StandardPage

    impressum = page_tree.home.add_child(instance=StandardPage(title="Impressum", slug="impressum"))
    assert "Impressum</a>" not in client.get("/").content.decode()

    SiteLinks.objects.update_or_create(site=Site.objects.get(is_default_site=True), defaults={"impressum": impressum})
    assert f'href="{impressum.url}">Impressum</a>' in client.get("/").content.decode()

    impressum.unpublish()
    assert "Impressum</a>" not in client.get("/").content.decode()
