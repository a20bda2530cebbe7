"""The "Termine" block: coming public meetings of the bodies and the CMS's events, in the mail that goes out."""

from datetime import datetime, timedelta

from django.utils import timezone

from cms.models import EventPage
from meetings import services as meetings_services
from meetings.models import BERLIN, Visibility
from newsletter.delivery import lifecycle, worker
from newsletter.services import create_send

from .conftest import SITE_URL


def _at(days, hour):
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN)


def test_a_sent_edition_lists_public_meetings_and_events_in_order_and_no_private_meeting(
    smtp_sink, make_edition, subscribe, page_tree, closed_body, moderator, client
):
    public = meetings_services.schedule_meeting(
        moderator,
        closed_body,
        title="Offene Sprechstunde der Lenkungsrunde",
        start=_at(5, 17),
        end=_at(5, 19),
        place="Bürgerhaus Teltow",
        visibility=Visibility.PUBLIC,
    )
    meetings_services.schedule_meeting(
        moderator, closed_body, title="Vertrauliche Haushaltsklausur", start=_at(4, 10), end=_at(4, 12), place="Rathaus"
    )
    page_tree.events.add_child(
        instance=EventPage(
            title="Sozialraumkonferenz",
            slug="sozialraumkonferenz",
            start=_at(12, 9),
            location="Stubenrauchsaal",
            intro="Das jährliche Treffen.",
        )
    )
    subscribe("leserin@example.org")
    edition = make_edition(body=[("dates", {"heading": "Termine im Netzwerk", "count": 5})])

    lifecycle.start_send(create_send(edition), enqueue=False)
    worker.run_worker()

    (mail,) = smtp_sink.to("leserin@example.org")
    text = mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "TERMINE IM NETZWERK" in text and "Termine im Netzwerk" in html
    assert text.index("Offene Sprechstunde der Lenkungsrunde") < text.index("Sozialraumkonferenz")
    assert "Bürgerhaus Teltow" in text and "Stubenrauchsaal" in html
    assert f"{SITE_URL}{public.get_absolute_url()}" in html
    assert f"{SITE_URL}/termine/sozialraumkonferenz/" in text
    assert "Vertrauliche Haushaltsklausur" not in text + html
    web = client.get(edition.url).content.decode()
    assert "Offene Sprechstunde der Lenkungsrunde" in web and "Sozialraumkonferenz" in web
