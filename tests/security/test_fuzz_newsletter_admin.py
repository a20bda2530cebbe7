"""The coordination's newsletter forms (subscriber import, audience, schedule) take any input
without a server error, and an import stores each row whole or not at all."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsletter.models import ConsentRecord, Send, Subscriber, Subscription

FUZZ = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

HEADER = "email,name,consent_source,consent_given_at,consent_text\n"
row = st.lists(
    st.one_of(
        st.text(max_size=40), st.sampled_from(["leser@example.org", "2026-01-31", "31.01.2026 10:00", "Ja, gern", ""])
    ),
    min_size=0,
    max_size=7,
).map(lambda fields: ",".join(f'"{field}"' if "," in field else field for field in fields))
csv_text = st.lists(row, max_size=6).map(lambda rows: HEADER + "\n".join(rows))


def counts():
    return Subscriber.objects.count(), Subscription.objects.count(), ConsentRecord.objects.count()


def test_any_csv_file_is_imported_row_by_row_or_refused_with_a_message(world, browser_for):
    browser = browser_for("coordinator")
    url = reverse("newsletter_import:index")

    @FUZZ
    @given(content=st.one_of(csv_text.map(str.encode), st.binary(max_size=300)))
    @example(content=(HEADER + "leser@example.org,Lea,Formular,2026-01-31,Ja\n" + "x" * 140_000 + ",,,,\n").encode())
    @example(content=b"\xef\xbb\xbfemail;name;consent_source;consent_given_at;consent_text\n\x00;\x00;\x00;\x00;\x00")
    def check(content):
        before = counts()
        response = browser.post(
            url,
            {
                "newsletter": world.newsletter.pk,
                "file": SimpleUploadedFile("liste.csv", content, content_type="text/csv"),
            },
        )
        assert response.status_code < 500, response.content.decode(errors="replace")[:2000]
        subscribers, subscriptions, consents = (after - then for after, then in zip(counts(), before))
        # Each imported row brings its consent record; no subscriber without a subscription.
        assert subscriptions <= consents and subscribers <= subscriptions

    check()


def test_the_schedule_and_audience_forms_take_any_input(world, browser_for):
    browser = browser_for("coordinator")
    send = Send.objects.create(edition=world.draft_edition)

    @FUZZ
    @given(moment=st.text(max_size=40), bodies=st.lists(st.text(max_size=12), max_size=3), event=st.text(max_size=12))
    @example(moment="31.12.9999 23:59", bodies=["0"], event="-1")
    @example(moment="2000-01-01T00:00", bodies=["9" * 30], event="9" * 30)
    def check(moment, bodies, event):
        scheduled = browser.post(
            reverse("newsletter_admin:action", args=[send.pk]), {"action": "schedule", "scheduled_at": moment}
        )
        assert scheduled.status_code < 500
        send.refresh_from_db()
        assert send.status in (Send.Status.DRAFT, Send.Status.SCHEDULED)
        prepared = browser.post(
            reverse("newsletter_admin:prepare", args=[world.draft_edition.pk]), {"bodies": bodies, "event": event}
        )
        assert prepared.status_code < 500

    check()
