"""The figures of a report made readable: translated labels and charts, for the page and the PDF alike."""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from core.charts import bar_chart
from planning.models import Proposal


def _status_label(code: str) -> str:
    return str(Proposal.Status(code).label) if code in Proposal.Status.values else code


def report_context(figures: dict[str, Any]) -> dict[str, Any]:
    meetings, forum, planning = figures["meetings"], figures["forum"], figures["planning"]
    return {
        "figures": figures,
        "counted_at": figures.get("counted_at"),
        "meetings_chart": bar_chart(
            [(row["body"], row["held"]) for row in meetings["bodies"]], title=_("Sitzungen je Gremium")
        )
        if meetings["bodies"]
        else None,
        "forum_chart": bar_chart(
            [(row["board"], row["posts"]) for row in forum["boards"]], title=_("Forumsbeiträge je Bereich")
        )
        if forum["boards"]
        else None,
        "proposal_statuses": [
            {"label": _status_label(row["status"]), "count": row["count"]} for row in planning["by_status"]
        ],
        "proposals": [{**row, "status_label": _status_label(row["status"])} for row in planning["proposals"]],
        "newsletter_editions": [
            {**row, "sent_on": date.fromisoformat(row["sent_on"])} for row in figures["newsletter"]["editions"]
        ],
        "events": [{**row, "date": date.fromisoformat(row["date"])} for row in figures["events"]],
        # Reports published before surveys were counted have no such part.
        "surveys": [{**row, "opened": date.fromisoformat(row["opened"])} for row in figures.get("surveys", [])],
    }
