"""After the conference: results per workshop linked to proposals (also on the proposal's page), the
public report once published, and the "Bericht an den Landkreis" PDF with the priority list."""

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from planning import services as planning_services
from planning.conference import services
from planning.models import Proposal

pytestmark = pytest.mark.django_db


def url(conf, tail):
    return f"/sozialplanung/{conf.cycle.year.year}/konferenz/{tail}"


@pytest.fixture
def results(conf):
    services.save_workshop(
        conf.cycle.coordinator,
        conf.conference,
        conf.a,
        title="Forum Kita",
        room="Raum 1.12",
        capacity=1,
        proposals=[conf.kita],
        results="Zwei Kitas im Quartier Mitte starten als Pilot.",
    )
    return conf


def test_the_results_of_a_workshop_appear_on_the_page_of_the_proposal_it_discussed(results, logged_in):
    page = logged_in(results.cycle.kita_member).get(results.kita.get_absolute_url()).content.decode()
    other = logged_in(results.cycle.kita_member).get(results.schule.get_absolute_url()).content.decode()

    assert "Ergebnisse der Sozialraumkonferenz" in page
    assert "Zwei Kitas im Quartier Mitte starten als Pilot." in page
    assert "Ergebnisse der Sozialraumkonferenz" not in other


def test_the_report_is_public_only_once_the_coordination_publishes_it(results, logged_in):
    before = logged_in(results.cycle.outsider).get(url(results, "bericht/"))
    draft = logged_in(results.cycle.coordinator).get(url(results, "bericht/"))
    services.update_report(results.cycle.coordinator, results.conference, "Gute Beteiligung aus allen Gruppen.", True)

    public = Client().get(url(results, "bericht/")).content.decode()

    assert before.status_code == 403
    assert "Der Bericht zur Sozialraumkonferenz ist noch nicht veröffentlicht." in before.content.decode()
    assert "Entwurf: Der Bericht ist noch nicht veröffentlicht" in draft.content.decode()
    assert "Gute Beteiligung aus allen Gruppen." in public
    assert "Zwei Kitas im Quartier Mitte starten als Pilot." in public
    assert "Kita-Sozialarbeit ausbauen" in public
    # The public reads the title; the proposal's page itself is for the network's professionals.
    assert results.kita.get_absolute_url() not in public


def test_the_county_report_pdf_holds_the_priority_list_in_ranking_order_workshops_and_results(results, logged_in):
    cycle = results.cycle
    # Ranked by the Lenkungsrunde: the school's proposal first.
    third = Proposal.objects.filter(pk__in=[results.kita.pk, results.schule.pk])
    third.update(status=Proposal.Status.IN_BEWERTUNG)
    best = {c.pk: c.scale_max for c in cycle.criteria}
    low = {c.pk: c.scale_min for c in cycle.criteria}
    for rater in cycle.raters[1:]:
        planning_services.rate_proposal(rater, results.schule, best)
        planning_services.rate_proposal(rater, results.kita, low)
    planning_services.close_rating_round(cycle.coordinator, cycle.year)
    planning_services.finalise_priorities(cycle.coordinator, cycle.year, [results.kita.pk, results.schule.pk])
    services.update_report(cycle.coordinator, results.conference, "Die Konferenz bestätigte die Prioritäten.", True)

    response = logged_in(cycle.coordinator).get(url(results, "bericht-landkreis.pdf"))

    assert response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert f"Bericht an den Landkreis: Sozialplanung {cycle.year.year}" in text
    assert "Prioritätenliste der Lenkungsrunde" in text
    assert text.index("Schulhöfe öffnen") < text.index("Kita-Sozialarbeit ausbauen")
    assert "Forum Kita" in text and "Forum Schule" in text
    assert "Zwei Kitas im Quartier Mitte starten als Pilot." in text
    assert "Die Konferenz bestätigte die Prioritäten." in text


def test_workshop_forms_refuse_bad_input_in_german_and_store_nothing(conf, logged_in):
    browser = logged_in(conf.cycle.coordinator)
    create = url(conf, "foren/neu/")
    base = {"title": "Forum Jugend", "room": "Aula", "capacity": "20"}

    duplicate = browser.post(create, {**base, "title": "Forum Kita"}).content.decode()
    zero = browser.post(create, {**base, "capacity": "0"}).content.decode()
    draft = browser.post(create, {**base, "proposals": [999999]}).content.decode()

    assert "Ein Forum „Forum Kita“ gibt es schon." in duplicate
    assert "größer oder gleich 1" in zero
    assert "Forum Jugend" not in [w.title for w in conf.conference.workshops.all()]
    assert draft.count("Forum Jugend")  # the form comes back with what was typed


def test_the_coordination_creates_a_workshop_and_records_results_through_the_forms(conf, logged_in):
    browser = logged_in(conf.cycle.coordinator)

    browser.post(
        url(conf, "foren/neu/"),
        {"title": "Forum Jugend", "room": "Aula", "capacity": "20", "proposals": [conf.schule.pk]},
    )
    workshop = conf.conference.workshops.get(title="Forum Jugend")
    browser.post(
        url(conf, f"foren/{workshop.pk}/"),
        {
            "title": "Forum Jugend",
            "room": "Aula",
            "capacity": "20",
            "proposals": [conf.schule.pk],
            "results": "Ein Jugendbeirat wird vorbereitet.",
        },
    )

    workshop.refresh_from_db()
    assert workshop.results == "Ein Jugendbeirat wird vorbereitet."
    assert list(workshop.proposals.all()) == [conf.schule]
