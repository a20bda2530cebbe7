"""The planning year: the coordination opens it; its page shows the phases, the current one and the next deadline."""

from datetime import timedelta

from django.utils import timezone

from cms.models import NetworkBodyPage
from cms.services import ensure_body_page
from planning.models import Phase, PlanningYear

from .conftest import phases_around


def test_the_year_page_shows_the_current_phase_and_the_next_deadline(cycle, client):
    page = client.get(f"/sozialplanung/{cycle.year.year}/").content.decode()

    deadline = cycle.year.phase_of_kind(Phase.Kind.ZIELVORSCHLAEGE).ends_on
    assert "Aktuelle Phase:" in page and "<strong>Zielvorschläge einreichen</strong>" in page
    assert f"Nächste Frist: Zielvorschläge einreichen bis {deadline:%d.%m.%Y}" in page
    for label in Phase.Kind.labels:
        assert str(label) in page


def test_the_coordination_switches_the_phase_by_hand_and_the_groups_hear_of_it(
    cycle, logged_in, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(cycle.coordinator).post(
            f"/sozialplanung/{cycle.year.year}/verwalten/", {"action": "phase", "phase": Phase.Kind.BEWERTUNG}
        )
    assert response.status_code == 302
    year = PlanningYear.objects.get(pk=cycle.year.pk)
    assert year.current_phase().kind == Phase.Kind.BEWERTUNG
    assert any(cycle.raters[1].email in m.to and "Bewertung durch die Lenkungsrunde" in m.subject for m in mailoutbox)


def test_the_coordination_opens_a_year_with_phases_and_criteria(coordinator, logged_in):
    start = timezone.localdate() + timedelta(days=400)
    data = {"year": str(start.year), "conflict_rule": "excluded", "criteria": "Dringlichkeit; 2; 1; 5\nKosten; 1; 0; 3"}
    for kind, (begin, end) in phases_around(start).items():
        data[f"{kind}_start"], data[f"{kind}_end"] = begin.isoformat(), end.isoformat()

    response = logged_in(coordinator).post("/sozialplanung/neu/", data)

    year = PlanningYear.objects.get(year=start.year)
    assert response.status_code == 302
    assert year.conflict_rule == "excluded" and year.phases.count() == 7
    assert [(c.name, c.weight, c.scale_min, c.scale_max) for c in year.criteria.all()] == [
        ("Dringlichkeit", 2, 1, 5),
        ("Kosten", 1, 0, 3),
    ]


def test_a_year_form_with_a_bad_criteria_line_names_the_line_and_stores_nothing(coordinator, logged_in):
    start = timezone.localdate()
    data = {"year": "2031", "conflict_rule": "marked", "criteria": "Dringlichkeit; 2; 1; 5\nWirkung; viel; 1; 5"}
    for kind, (begin, end) in phases_around(start).items():
        data[f"{kind}_start"], data[f"{kind}_end"] = begin.isoformat(), end.isoformat()

    response = logged_in(coordinator).post("/sozialplanung/neu/", data)

    assert response.status_code == 200
    assert "Zeile 2: bitte" in response.content.decode()
    assert not PlanningYear.objects.filter(year=2031).exists()


def test_only_the_coordination_opens_a_year(professional, logged_in):
    response = logged_in(professional).get("/sozialplanung/neu/")
    assert response.status_code == 403
    assert "Planungsjahre verwaltet die Sozialraumkoordination." in response.content.decode()


def test_a_focus_groups_pages_show_the_current_phase_and_the_next_deadline(cycle, client, page_tree):
    deadline = cycle.year.phase_of_kind(Phase.Kind.ZIELVORSCHLAEGE).ends_on
    directory = client.get(f"/netzwerk/gremien/{cycle.kita.slug}/").content.decode()
    assert f"Sozialplanung {cycle.year.year}" in directory
    assert "<strong>Zielvorschläge einreichen</strong>" in directory
    assert f"Nächste Frist: Zielvorschläge einreichen bis {deadline:%d.%m.%Y}" in directory

    ensure_body_page(cycle.kita)  # the group was founded before the page tree existed
    page = NetworkBodyPage.objects.get(body=cycle.kita)
    assert "<strong>Zielvorschläge einreichen</strong>" in client.get(page.url).content.decode()


def test_bodies_outside_the_cycle_show_no_phase(cycle, client, make_body):
    beirat = make_body("Seniorenbeirat", slug="seniorenbeirat", kind="beirat")
    assert "Aktuelle Phase" not in client.get(f"/netzwerk/gremien/{beirat.slug}/").content.decode()
