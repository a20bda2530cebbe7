"""The public tracker across the years: what was proposed, what the council decided, how far it got.

Filters are a small registry, so a part of the planning app that links proposals to more things
(the Quartiere) adds its filter without touching the tracker:

    add_tracker_filter(TrackerFilter("quartier", _("Quartier"), choices=…, apply=…, prefetch=("districts",)))

`choices()` gives (value, label) pairs for the select box; `apply(proposals, value)` narrows the
proposals queryset; `prefetch` names what the rows need to show it. Every filter costs at most one
query for its choices and one for its prefetch, however many years and proposals there are.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from network.models import District, Themenfeld

from . import workflow
from .models import ImplementationReport, PlanningYear, Proposal


@dataclass(frozen=True)
class TrackerFilter:
    param: str
    label: Any
    choices: Callable[[], Iterable[tuple[str, str]]]
    apply: Callable[[QuerySet[Proposal], str], QuerySet[Proposal]]
    prefetch: tuple[str, ...] = ()


def _year_choices():
    return [(str(year), str(year)) for year in PlanningYear.objects.values_list("year", flat=True)]


def _themenfeld_choices():
    return list(Themenfeld.objects.values_list("slug", "name"))


def _district_choices():
    return list(District.objects.values_list("slug", "name"))


_FILTERS: list[TrackerFilter] = [
    TrackerFilter("jahr", _("Jahr"), _year_choices, lambda proposals, value: proposals.filter(year__year=int(value))),
    TrackerFilter(
        "themenfeld", _("Themenfeld"), _themenfeld_choices, lambda proposals, v: proposals.filter(themenfeld__slug=v)
    ),
    TrackerFilter(
        "quartier",
        _("Quartier"),
        _district_choices,
        lambda proposals, value: proposals.filter(districts__slug=value),
        prefetch=("districts",),
    ),
]


def add_tracker_filter(tracker_filter: TrackerFilter) -> None:
    if all(existing.param != tracker_filter.param for existing in _FILTERS):
        _FILTERS.append(tracker_filter)


def tracker_filters() -> list[TrackerFilter]:
    return list(_FILTERS)


class TrackerFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for tracker_filter in _FILTERS:
            self.fields[tracker_filter.param] = forms.ChoiceField(
                label=tracker_filter.label,
                required=False,
                choices=[("", _("alle"))] + list(tracker_filter.choices()),
                error_messages={"invalid_choice": _("Diese Auswahl gibt es nicht; gezeigt wird alles.")},
            )

    def chosen(self) -> dict[str, str]:
        """The valid, non-empty choices; an invalid one is left out (the form shows why)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items() if value}


@dataclass
class TrackerYear:
    year: PlanningYear
    proposals: list[Proposal] = field(default_factory=list)
    submitted: int = 0

    @property
    def decisions(self) -> dict[str, int]:
        return dict(Counter(proposal.status_label for proposal in self.proposals))

    @property
    def implementation(self) -> dict[str, int]:
        return dict(Counter(p.latest_report.state_label for p in self.proposals if p.latest_report))


def tracker(chosen: dict[str, str]) -> list[TrackerYear]:
    """The public proposals grouped by year (newest first), narrowed by the chosen filters; constant queries."""
    chosen_proposals = Proposal.objects.all()
    prefetch: list[str] = []
    for tracker_filter in _FILTERS:
        prefetch += tracker_filter.prefetch
        if chosen.get(tracker_filter.param):
            chosen_proposals = tracker_filter.apply(chosen_proposals, chosen[tracker_filter.param])
    proposals = (
        chosen_proposals.filter(status__in=workflow.PUBLIC_STATUSES)
        .select_related("year", "body", "themenfeld")
        .prefetch_related(
            Prefetch("reports", queryset=ImplementationReport.objects.order_by("-reported_on", "-pk")), *prefetch
        )
        .order_by("-year__year", "themenfeld__sort_order", "themenfeld__name", "title")
    )
    years = PlanningYear.objects.all()
    if chosen.get("jahr"):
        years = years.filter(year=int(chosen["jahr"]))
    by_year = {year.pk: TrackerYear(year) for year in years.order_by("-year")}
    submitted = (
        chosen_proposals.filter(year__in=list(by_year))
        .exclude(status__in=workflow.DRAFT_STATUSES)
        .values("year_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in submitted:
        by_year[row["year_id"]].submitted = row["count"]
    # Labels translated once per request: get_FOO_display() translates every choice of the field on each call.
    status_labels = {value: str(label) for value, label in Proposal.Status.choices}
    state_labels = {value: str(label) for value, label in ImplementationReport.State.choices}
    for proposal in proposals:
        reports = list(proposal.reports.all())
        proposal.latest_report = reports[0] if reports else None
        proposal.status_label = status_labels[proposal.status]
        if proposal.latest_report:
            proposal.latest_report.state_label = state_labels[proposal.latest_report.state]
        if proposal.year_id in by_year:
            by_year[proposal.year_id].proposals.append(proposal)
    return list(by_year.values())
