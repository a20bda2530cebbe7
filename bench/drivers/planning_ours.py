"""Planning protocol (platform only): the public tracker over 5 years × 50 proposals, and the
Planungspapier of 50 prioritised proposals as PDF. See bench/README.md."""

import time
from datetime import date, timedelta
from decimal import Decimal

from common import arguments, check, queries, summary, time_gets, write
from ours_env import setup

YEARS = 5
PROPOSALS = 50
RATERS = 3
PDF_ROUNDS = 5
CRITERIA = [("Dringlichkeit", 2), ("Wirkung", 3), ("Umsetzbarkeit", 1), ("Kosten", 1)]
TEXT = (
    "Die Bestandsaufnahme der Fokusgruppe zeigt einen Bedarf, den die bestehenden Angebote nicht decken. "
    "Familien berichten von langen Wegen und Wartezeiten; die Träger sehen Lücken am Nachmittag. "
)


def people_and_bodies():
    from network.models import NetworkBody, Organisation, Themenfeld, User

    fields = [Themenfeld.objects.create(name=f"Themenfeld {n}", slug=f"themenfeld-{n}", sort_order=n) for n in range(6)]
    bodies = [
        NetworkBody.objects.create(name=f"FG {n}", slug=f"fg-{n}", themenfeld=fields[n % len(fields)]) for n in range(8)
    ]
    partners = [Organisation.objects.create(name=f"Träger {n}", slug=f"traeger-{n}") for n in range(10)]
    raters = [
        User.objects.create_user(email=f"lenkung{n}@example.org", password="x", approval=User.Approval.APPROVED)
        for n in range(RATERS)
    ]
    return fields, bodies, partners, raters


def year_with_proposals(number, fields, bodies, partners, raters):
    """A finished year: 50 proposals, prioritised, rated, in the paper, decided; half with a report."""
    from planning.models import ImplementationReport, Phase, PlanningYear, Proposal, Rating, RatingCriterion

    S = Proposal.Status
    start = date(number, 1, 1)
    year = PlanningYear.objects.create(year=number)
    Phase.objects.bulk_create(
        Phase(
            year=year, kind=kind, starts_on=start + timedelta(days=40 * i), ends_on=start + timedelta(days=40 * i + 39)
        )
        for i, kind in enumerate(Phase.Kind.values)
    )
    criteria = [RatingCriterion.objects.create(year=year, name=name, weight=w) for name, w in CRITERIA]
    outcomes = [S.BESCHLOSSEN, S.IN_UMSETZUNG, S.UMGESETZT, S.ABGELEHNT, S.VERTAGT, S.IM_PLANUNGSPAPIER]
    proposals = Proposal.objects.bulk_create(
        Proposal(
            year=year,
            body=bodies[n % len(bodies)],
            themenfeld=fields[n % len(fields)],
            title=f"Zielvorschlag {number}-{n:02d}",
            problem=TEXT * 3,
            goal=f"Ziel des Vorschlags {n}: ein verlässliches Angebot im Quartier.",
            measures=TEXT * 2,
            target_group="Familien mit Kindern",
            estimated_cost=Decimal(10_000 + 500 * n),
            time_frame="zwei Jahre",
            status=outcomes[n % len(outcomes)],
            drucksache=f"DS {n}/{number}",
            budget_amount=Decimal(9_000 + 500 * n),
            decided_on=start + timedelta(days=250),
        )
        for n in range(PROPOSALS)
    )
    for proposal in proposals:
        proposal.partners.set(partners[proposal.pk % 10 : proposal.pk % 10 + 2])
    Rating.objects.bulk_create(
        Rating(proposal=p, criterion=c, rater=r, score=1 + (p.pk * 7 + c.pk + r.pk) % 5)
        for p in proposals
        for c in criteria
        for r in raters
    )
    ImplementationReport.objects.bulk_create(
        ImplementationReport(proposal=p, state="begonnen", text=TEXT, reported_on=start + timedelta(days=300))
        for p in proposals
        if p.status in (S.IN_UMSETZUNG, S.UMGESETZT)
    )
    return year


def paper_page(year):
    from wagtail.models import Page

    from cms.models import HomePage
    from planning import paper

    if not HomePage.objects.exists():
        Page.get_first_root_node().add_child(instance=HomePage(title="Start", slug="start"))
    page = paper.PlanningPaperPage(
        title=f"Planungspapier {year.year}", slug=f"planungspapier-{year.year}", planning_year=year,
        body=paper.draft_body(year),
    )  # fmt: skip
    paper._index_page().add_child(instance=page)
    page.save_revision().publish()
    return page


def cpu_of(client, url, rounds):
    """Median CPU ms of a GET: the test client serves in this process, so this is the server's work
    without the waits for a core."""
    cpu = []
    for _round in range(rounds):
        started_cpu = time.process_time()
        check(client.get(url))
        cpu.append(time.process_time() - started_cpu)
    return summary(cpu)["median_ms"]


def timed_after(client, url, rounds, before):
    """GETs each preceded (untimed) by `before`: median and p90 wall time, median CPU, queries."""
    timings, cpu = [], []
    for _round in range(rounds):
        before()
        started, started_cpu = time.perf_counter(), time.process_time()
        check(client.get(url))
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    before()
    with queries() as captured:
        check(client.get(url))
    return {**summary(timings), "cpu_median_ms": summary(cpu)["median_ms"], "queries": len(captured)}


def main():
    args = arguments()
    setup(args.db)
    from django.core.cache import cache
    from django.test import Client

    from planning import paper
    from planning.models import Proposal

    rounds = 10 if args.quick else 50
    fields, bodies, partners, raters = people_and_bodies()
    client = Client()
    url = "/sozialplanung/ergebnisse/"
    first = year_with_proposals(2021, fields, bodies, partners, raters)
    check(client.get(url))  # warm-up: the first request also fills the navigation cache
    with queries() as captured:
        check(client.get(url))
    queries_by_years = [len(captured)]
    for number in range(2022, 2021 + YEARS):
        year_with_proposals(number, fields, bodies, partners, raters)
        with queries() as captured:
            check(client.get(url))
        queries_by_years.append(len(captured))
    tracker = time_gets(client, url, queries, rounds)
    tracker["cpu_median_ms"] = cpu_of(client, url, rounds)
    tracker["queries_by_years"] = queries_by_years
    # Cold: the whole cache emptied before each GET (every year's section, and the site's navigation too).
    cold = timed_after(client, url, rounds, cache.clear)
    # After an edit: one proposal of one year renamed before each GET, so that one section is rendered anew.
    edited = Proposal.objects.filter(year__year=2021).order_by("pk").first()
    renames = iter(range(10_000))
    one_year = timed_after(
        client, url, rounds,
        lambda: Proposal.objects.filter(pk=edited.pk).update(title=f"Zielvorschlag 2021-00 ({next(renames)})"),
    )  # fmt: skip
    content = client.get(url).content.decode()
    shown = sum(content.count(f"Zielvorschlag {year}-") for year in range(2021, 2021 + YEARS))
    if shown != YEARS * PROPOSALS:
        raise SystemExit(f"the tracker shows {shown} proposals, expected {YEARS * PROPOSALS}")

    page = paper_page(first)
    # CPU time beside the wall time: on a machine shared with other work the two part ways.
    timings, cpu, size = [], [], 0
    for _round in range(2 if args.quick else PDF_ROUNDS):
        started, started_cpu = time.perf_counter(), time.process_time()
        document = paper.render_pdf(page)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        size = len(document)
    import io

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(document)).pages)
    write(
        args.out,
        {
            "tracker": {**tracker, "years": YEARS, "proposals_per_year": PROPOSALS},
            "tracker_cold_cache": cold,
            "tracker_one_year_changed": one_year,
            "paper_pdf": {
                **summary(timings),
                "cpu_median_ms": summary(cpu)["median_ms"],
                "proposals": PROPOSALS,
                "pages": pages,
                "bytes": size,
            },
        },
    )


if __name__ == "__main__":
    main()
