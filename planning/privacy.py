"""The planning cycle's part of a person's data: proposals they wrote, steps they took, their ratings.

Nothing is erased with the account: proposals belong to their group, the history and the ratings
are the record of a decision process. The foreign keys lose the person (SET_NULL), so what stays
names nobody; a closed round's ranking stays as it was published.
"""

from core.privacy import register_part

from .models import ImplementationReport, Proposal, ProposalEvent, Rating, WorkshopChoice


def export_personal_data(user):
    return {
        "proposals_written": [
            {"year": p.year.year, "title": p.title, "body": p.body.name, "created_at": p.created_at}
            for p in Proposal.objects.filter(created_by=user).select_related("year", "body").order_by("created_at")
        ],
        "proposal_steps": [
            {
                "proposal": e.proposal.title,
                "status": e.get_to_status_display(),
                "comment": e.comment,
                "at": e.created_at,
            }
            for e in ProposalEvent.objects.filter(actor=user).select_related("proposal").order_by("created_at")
        ],
        "implementation_reports": [
            {"proposal": r.proposal.title, "state": r.get_state_display(), "text": r.text, "reported_on": r.reported_on}
            for r in ImplementationReport.objects.filter(author=user).select_related("proposal").order_by("created_at")
        ],
        "ratings": [
            {
                "proposal": r.proposal.title,
                "criterion": r.criterion.name,
                "score": r.score,
                "comment": r.comment,
                "conflict_of_interest": r.conflict_of_interest,
                "created_at": r.created_at,
            }
            for r in Rating.objects.filter(rater=user).select_related("proposal", "criterion").order_by("created_at")
        ],
    }


def export_workshop_choices(email_addresses):
    """Wishes and places at a conference belong to a registration, which is found by address (cms.privacy)."""
    choices = WorkshopChoice.objects.filter(
        registration__email__in=[address.lower() for address in email_addresses]
    ).select_related("registration__event", "first_wish", "second_wish", "assigned")
    return [
        {
            "event": choice.registration.event.title,
            "first_wish": str(choice.first_wish or ""),
            "second_wish": str(choice.second_wish or ""),
            "assigned": str(choice.assigned or ""),
        }
        for choice in choices.order_by("registration__created_at")
    ]


register_part(
    "planning",
    export=lambda subject: {
        **export_personal_data(subject.user),
        "conference_workshops": export_workshop_choices(subject.email_addresses),
    },
)
