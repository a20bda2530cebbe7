"""The public tracker across the years: what was proposed, what the council decided, how far it got.

Filters are a small registry, so a part of the planning app that links proposals to more things
adds its filter without touching the tracker:

    add_tracker_filter(TrackerFilter("quartier", _("Quartier"), choices=…, apply=…))

`choices()` gives (value, label) pairs for the select box; `apply(proposals, value)` narrows the
proposals queryset. Every filter costs at most one query for its choices, however many years and
proposals there are.

Each year's section is cached as HTML under a key made of everything it shows (the rows as read
from the database, the language, whether titles link, the template's source): a changed title,
decision, report or name is a new key, whatever wrote it, so the tracker never shows stale data and
needs no invalidation. The rows are read as plain values in a fixed number of queries; only a year
whose key is missing is rendered.
"""

import functools
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django import forms
from django.core.cache import cache
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.template.defaultfilters import floatformat
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
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
        "quartier", _("Quartier"), _district_choices, lambda proposals, value: proposals.filter(districts__slug=value)
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


class TrackerRow(NamedTuple):
    """One proposal as the tracker shows it, exactly as read: the cache key is made of these values."""

    pk: int
    year_id: int
    title: str
    goal: str
    status: str
    drucksache: str
    budget_amount: Decimal | None
    decided_on: date | None
    themenfeld: str | None
    body: str
    report_state: str | None
    report_on: date | None
    report_text: str | None
    districts: tuple[str, ...] = ()


@dataclass
class TrackerYear:
    year: PlanningYear
    rows: list[TrackerRow] = field(default_factory=list)
    submitted: int = 0


def tracker(chosen: dict[str, str]) -> list[TrackerYear]:
    """The public proposals grouped by year (newest first), narrowed by the chosen filters; constant queries."""
    chosen_proposals = Proposal.objects.all()
    for tracker_filter in _FILTERS:
        if chosen.get(tracker_filter.param):
            chosen_proposals = tracker_filter.apply(chosen_proposals, chosen[tracker_filter.param])
    public = chosen_proposals.filter(status__in=workflow.PUBLIC_STATUSES)
    latest_report = ImplementationReport.objects.filter(proposal=OuterRef("pk")).order_by("-reported_on", "-pk")
    rows = (
        public.annotate(
            report_state=Subquery(latest_report.values("state")[:1]),
            report_on=Subquery(latest_report.values("reported_on")[:1]),
            report_text=Subquery(latest_report.values("text")[:1]),
        )
        .order_by("-year__year", "themenfeld__sort_order", "themenfeld__name", "title", "pk")
        .values_list(
            "pk", "year_id", "title", "goal", "status", "drucksache", "budget_amount", "decided_on",
            "themenfeld__name", "body__name", "report_state", "report_on", "report_text",
        )
    )  # fmt: skip
    # The proposals go in as a subquery: a list of hundreds of ids costs more to compile than to run.
    districts: dict[int, list[str]] = {}
    for proposal_id, name in (
        Proposal.districts.through.objects.filter(proposal__in=public.values("pk"))
        .order_by("district__sort_order", "district__name")
        .values_list("proposal_id", "district__name")
    ):
        districts.setdefault(proposal_id, []).append(name)
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
    for values in rows:
        entry = by_year.get(values[1])
        if entry is not None:
            entry.rows.append(TrackerRow(*values, districts=tuple(districts.get(values[0], ()))))
    return list(by_year.values())


# --- the years' sections as HTML -------------------------------------------------------------

YEAR_TEMPLATE = "planning/includes/tracker_year.html"
FRAGMENT_SECONDS = 24 * 3600


@functools.lru_cache(maxsize=8)
def _source_digest(source: str) -> str:
    return hashlib.blake2b(source.encode(), digest_size=8).hexdigest()


def _template_and_digest():
    # A changed template (a release, or an edit under the development server) makes new keys.
    template = get_template(YEAR_TEMPLATE)
    return template, _source_digest(getattr(template.template, "source", ""))


def _labels() -> tuple[dict[str, str], dict[str, str]]:
    # Translated once per request: get_FOO_display() translates every choice of the field on each call.
    return (
        {value: str(label) for value, label in Proposal.Status.choices},
        {value: str(label) for value, label in ImplementationReport.State.choices},
    )


def _year_key(entry: TrackerYear, shared: tuple) -> str:
    # As plain tuples: the repr of a named tuple is written in Python and cost more than the hash.
    shown = (shared, entry.year.pk, entry.year.year, entry.submitted, [tuple(row) for row in entry.rows])
    return "planning.tracker.year." + hashlib.blake2b(repr(shown).encode(), digest_size=20).hexdigest()


# Stands for the proposal's id while its URL is reversed once for a whole table.
_SLOT = 987654321


def _proposal_url_maker() -> Callable[[int], str]:
    before, _slot, after = reverse("planning:proposal_detail", args=[_SLOT]).rpartition(str(_SLOT))
    return lambda pk: f"{before}{pk}{after}"


def _row_context(row: TrackerRow, status_labels, state_labels, proposal_url, texts) -> dict[str, Any]:
    """What the row template prints, worked out here: a template tag per value cost more than the rest of the row."""
    decision = []
    if row.drucksache:
        decision.append(texts["drucksache"] % {"number": row.drucksache})
    if row.budget_amount is not None:
        decision.append(texts["amount"] % {"amount": floatformat(row.budget_amount, "2g")})
    return {
        "url": proposal_url(row.pk) if proposal_url else "",
        "title": row.title,
        "goal": row.goal,
        "themenfeld": row.themenfeld or "–",
        "body": row.body,
        "districts": ", ".join(row.districts),
        "status": status_labels[row.status],
        "decision": decision,
        "decided_on": row.decided_on.strftime("%d.%m.%Y") if row.decided_on else "",
        "report_state": state_labels[row.report_state] if row.report_state else "",
        "report_on": texts["report_on"] % {"date": row.report_on.strftime("%d.%m.%Y")} if row.report_on else "",
        "report_text": row.report_text,
    }


def render_years(years: list[TrackerYear], *, can_see_proposals: bool) -> list[SafeString]:
    """The HTML section of each year, from the cache where the same was shown before."""
    template, digest = _template_and_digest()
    status_labels, state_labels = _labels()
    # The status labels are in the key, so a release that translates them anew is not hidden behind old sections;
    # a new translation of the template's own headings shows once its sections expire (FRAGMENT_SECONDS).
    shared = (digest, translation.get_language(), can_see_proposals, status_labels, state_labels)
    keys = [_year_key(entry, shared) for entry in years]
    cached = cache.get_many(keys)
    missing = [(entry, key) for entry, key in zip(years, keys) if key not in cached]
    if missing:
        texts = {
            "drucksache": gettext("Drucksache %(number)s"),
            "amount": gettext("%(amount)s Euro"),
            "report_on": gettext("Stand %(date)s"),
        }
        proposal_url = _proposal_url_maker() if can_see_proposals else None
        rendered = {}
        for entry, key in missing:
            rows = [_row_context(row, status_labels, state_labels, proposal_url, texts) for row in entry.rows]
            rendered[key] = template.render(
                {
                    "year": entry.year,
                    "submitted": entry.submitted,
                    "rows": rows,
                    "decisions": dict(Counter(row["status"] for row in rows)),
                    "implementation": dict(Counter(row["report_state"] for row in rows if row["report_state"])),
                }
            )
        cache.set_many(rendered, FRAGMENT_SECONDS)
        cached.update(rendered)
    return [mark_safe(cached[key]) for key in keys]
