"""The demo newsletter from data/newsletter.yaml: a public list, subscribers, sent editions and a draft.

Subscriptions go through `newsletter.services`; sent editions through `newsletter.services.create_send`
and `newsletter.delivery.lifecycle.start_send`, which compile the edition and freeze its audience as a real send
does. No mail leaves the machine: the demo records the deliveries as accepted on the day the edition
went out, as if the worker had sent them then.
"""

from datetime import timedelta

from cms.models import EventPage, NetworkBodyPage, NewsPage
from network.models import User
from newsletter import services
from newsletter.blocks import ForumHighlightsBlock
from newsletter.delivery import lifecycle
from newsletter.models import Delivery, Newsletter, NewsletterArchivePage, NewsletterEdition, Send

from .data import load, moment
from .network import sync
from .pages import child_page

DEMO_DOMAIN = "@example.org"
SOURCE = "Beispieldaten (Demo)"


def data():
    return load("newsletter")


def ensure_newsletter():
    fields = dict(data()["newsletter"])
    slug = fields.pop("slug")
    fields["description"] = " ".join(fields["description"].split())
    return sync(Newsletter, {"slug": slug}, fields)


def ensure_subscribers(newsletter):
    every = data()["subscribers"]["professionals_every"]
    professionals = User.objects.filter(approval=User.Approval.APPROVED, memberships__isnull=False).exclude(
        email__endswith=DEMO_DOMAIN
    )
    for person in list(professionals.distinct().order_by("email"))[::every]:
        # Their own verified address: confirmed at once, as when a member subscribes while logged in.
        services.subscribe(newsletter, person.email, source_detail=SOURCE, user=person)
    for address in data()["subscribers"]["addresses"]:
        # Confirmed without a confirmation mail: the demo must not send any.
        subscription = services.resubscribe(address["email"], newsletter, source_detail=SOURCE)
        subscriber = subscription.subscriber
        if address["name"] and subscriber.name != address["name"]:
            subscriber.name = address["name"]
            subscriber.save(update_fields=["name"])


TEASER_TYPES = {"news": NewsPage, "event": EventPage, "body": NetworkBodyPage}


def _teaser_page(name):
    """The page named "news/<slug>", "event/<slug>" or "body/<slug>": a body and its conference share a slug."""
    kind, slug = name.split("/", 1)
    page = TEASER_TYPES[kind].objects.live().filter(slug=slug).first()
    if page is None:
        raise ValueError(f"Demo-Newsletter: keine Seite „{name}“")
    return page


def _stream(blocks, topics):
    result = []
    for block in blocks:
        if "html" in block:
            result.append({"type": "paragraph", "value": block["html"]})
        elif "heading" in block:
            result.append({"type": "heading", "value": {"text": block["heading"], "level": "h2"}})
        elif "divider" in block:
            result.append({"type": "divider", "value": None})
        elif "teaser" in block:
            page = _teaser_page(block["teaser"])
            result.append({"type": "teaser", "value": {"page": page.pk, "text": block.get("text", "")}})
        elif "events" in block:
            result.append({"type": "upcoming_events", "value": dict(block["events"])})
        elif "forum" in block:
            chosen = [topics[title].pk for title in block["forum"]["topics"]]
            result.append(
                {
                    "type": "forum_highlights",
                    "value": {
                        "heading": block["forum"]["heading"],
                        "source": ForumHighlightsBlock.CHOSEN,
                        "topics": chosen,
                        "count": 3,
                    },
                }
            )
        else:
            raise ValueError(f"Unbekannter Block im Demo-Newsletter: {block}")
    return result


def _record_as_sent(edition, sender, days_ago):
    """Send the edition to its audience without mail: the deliveries are marked accepted on that day."""
    send = services.create_send(edition, user=sender)
    send, _started = lifecycle.start_send(send, enqueue=False)
    sent_at = moment(-days_ago, 10)
    Delivery.objects.filter(send=send).update(status=Delivery.Status.SENT, sent_at=sent_at, attempts=1)
    Send.objects.filter(pk=send.pk).update(
        status=Send.Status.DONE,
        created_at=sent_at - timedelta(minutes=20),
        started_at=sent_at,
        finished_at=sent_at + timedelta(minutes=4),
        sent_count=send.recipients_count,
    )
    NewsletterEdition.objects.filter(pk=edition.pk).update(first_published_at=sent_at, last_published_at=sent_at)


def seed_newsletter(topics):
    """The list, its subscribers and editions; `topics` are the demo's forum topics by title."""
    newsletter = ensure_newsletter()
    ensure_subscribers(newsletter)
    archive = NewsletterArchivePage.objects.get()
    sender = User.objects.get(email=f"{data()['sent_by']}{DEMO_DOMAIN}")
    for item in data()["editions"]:
        edition = child_page(
            archive,
            NewsletterEdition,
            item["slug"],
            title=item["title"],
            newsletter=newsletter,
            subject=item["subject"],
            preheader=item["preheader"],
            body=_stream(item["body"], topics),
        )
        if "sent_days_ago" in item and not edition.sends.exists():
            _record_as_sent(edition, sender, item["sent_days_ago"])
    return newsletter
