"""Ratings of the Lenkungsrunde: once per person and proposal, inside the scale, before the round closes."""

import pytest
from django.core.exceptions import ValidationError

from core.permissions import PermissionDenied
from planning import services
from planning.models import PlanningYear, Proposal, Rating

S = Proposal.Status


def scores(cycle, **by_name):
    values = {"Dringlichkeit": 4, "Wirkung": 5, "Umsetzbarkeit": 7, **by_name}
    return {c.pk: values[c.name] for c in cycle.criteria if values.get(c.name) is not None}


def rating_rows():
    return list(Rating.objects.values_list("proposal_id", "criterion_id", "rater_id", "score").order_by("pk"))


@pytest.fixture
def in_rating(make_proposal):
    return make_proposal(S.IN_BEWERTUNG)


def test_a_member_of_the_lenkungsrunde_rates_all_criteria_at_once(cycle, in_rating):
    services.rate_proposal(cycle.raters[1], in_rating, scores(cycle), "Dringend nötig.")

    stored = {r.criterion.name: r.score for r in Rating.objects.filter(rater=cycle.raters[1])}
    assert stored == {"Dringlichkeit": 4, "Wirkung": 5, "Umsetzbarkeit": 7}
    assert not Rating.objects.filter(conflict_of_interest=True).exists()


@pytest.mark.parametrize("bad", [{"Dringlichkeit": 0}, {"Wirkung": 6}, {"Umsetzbarkeit": 11}, {"Umsetzbarkeit": -1}])
def test_a_value_outside_the_scale_is_refused_and_nothing_is_stored(cycle, in_rating, bad):
    with pytest.raises(ValidationError) as refusal:
        services.rate_proposal(cycle.raters[1], in_rating, scores(cycle, **bad))
    assert "auf einer Skala von" in refusal.value.messages[0]
    assert rating_rows() == []


def test_a_missing_criterion_is_refused_and_nothing_is_stored(cycle, in_rating):
    with pytest.raises(ValidationError) as refusal:
        services.rate_proposal(cycle.raters[1], in_rating, scores(cycle, Wirkung=None))
    assert "Wirkung" in refusal.value.messages[0]
    assert rating_rows() == []


def test_a_second_rating_by_the_same_person_is_refused(cycle, in_rating):
    services.rate_proposal(cycle.raters[1], in_rating, scores(cycle))
    before = rating_rows()

    with pytest.raises(PermissionDenied) as refusal:
        services.rate_proposal(cycle.raters[1], in_rating, scores(cycle, Wirkung=1))

    assert "bereits bewertet" in str(refusal.value)
    assert rating_rows() == before


def test_after_the_round_closed_nobody_rates_any_more(cycle, in_rating):
    services.close_rating_round(cycle.coordinator, cycle.year)

    with pytest.raises(PermissionDenied) as refusal:
        services.rate_proposal(cycle.raters[1], in_rating, scores(cycle))

    assert "abgeschlossen" in str(refusal.value)
    assert rating_rows() == []


@pytest.mark.parametrize("who", ["kita_moderator", "outsider", "coordinator"])
def test_only_members_of_the_lenkungsrunde_rate(cycle, in_rating, who):
    with pytest.raises(PermissionDenied) as refusal:
        services.rate_proposal(getattr(cycle, who), in_rating, scores(cycle))
    assert "Mitglieder der Lenkungsrunde" in str(refusal.value)
    assert rating_rows() == []


@pytest.mark.parametrize("status", [S.ENTWURF, S.EINGEREICHT, S.PRIORISIERT])
def test_a_proposal_not_in_rating_cannot_be_rated(cycle, make_proposal, status):
    proposal = make_proposal(status)
    with pytest.raises(PermissionDenied):
        services.rate_proposal(cycle.raters[1], proposal, scores(cycle))
    assert rating_rows() == []


def test_a_rater_from_the_proposing_group_is_marked_when_the_year_allows_it(cycle, in_rating, logged_in):
    page = logged_in(cycle.raters[0]).get(f"/sozialplanung/vorschlaege/{in_rating.pk}/bewerten/").content.decode()
    assert "Interessenkonflikt" in page

    services.rate_proposal(cycle.raters[0], in_rating, scores(cycle))

    assert set(Rating.objects.filter(rater=cycle.raters[0]).values_list("conflict_of_interest", flat=True)) == {True}


def test_a_rater_from_the_proposing_group_is_excluded_when_the_year_says_so(cycle, make_proposal):
    PlanningYear.objects.filter(pk=cycle.year.pk).update(conflict_rule=PlanningYear.ConflictRule.EXCLUDED)
    kita_proposal = make_proposal(S.IN_BEWERTUNG)
    schule_proposal = make_proposal(S.IN_BEWERTUNG, body=cycle.schule, title="Schulsozialarbeit")

    with pytest.raises(PermissionDenied) as refusal:
        services.rate_proposal(cycle.raters[0], kita_proposal, scores(cycle))
    assert "vorschlagenden Gruppe" in str(refusal.value)
    assert rating_rows() == []

    services.rate_proposal(cycle.raters[0], schule_proposal, scores(cycle))
    assert Rating.objects.filter(rater=cycle.raters[0], proposal=schule_proposal).count() == 3


def test_the_rating_form_shows_the_scale_error_and_stores_nothing(cycle, in_rating, logged_in):
    criteria = {c.name: c.pk for c in cycle.criteria}
    response = logged_in(cycle.raters[1]).post(
        f"/sozialplanung/vorschlaege/{in_rating.pk}/bewerten/",
        {
            f"score_{criteria['Dringlichkeit']}": "9",
            f"score_{criteria['Wirkung']}": "3",
            f"score_{criteria['Umsetzbarkeit']}": "5",
        },
    )
    assert response.status_code == 200
    assert "„Dringlichkeit“ wird auf einer Skala von 1 bis 5 bewertet." in response.content.decode()
    assert rating_rows() == []


def test_the_rating_form_stores_one_rating_per_criterion(cycle, in_rating, logged_in):
    data = {f"score_{c.pk}": str(c.scale_max) for c in cycle.criteria}
    response = logged_in(cycle.raters[2]).post(f"/sozialplanung/vorschlaege/{in_rating.pk}/bewerten/", data)
    assert response.status_code == 302
    assert Rating.objects.filter(rater=cycle.raters[2]).count() == len(cycle.criteria)
