"""Run inside a subprocess by test_crash.py: builds a list of recipients and starts a send.

Lives outside the test process because the worker subprocesses must see the data in a file database.
"""

import sys

import django


def main(recipients):
    django.setup()
    from wagtail.models import Page

    from newsletter.delivery.lifecycle import start_send
    from newsletter.models import Newsletter, NewsletterArchivePage, NewsletterEdition, Subscriber, Subscription
    from newsletter.services import create_send

    newsletter = Newsletter.objects.create(
        name="Absturztest", slug="absturztest", sender_name="Test", sender_email="test@example.org"
    )
    archive = Page.get_first_root_node().add_child(instance=NewsletterArchivePage(title="Archiv", slug="archiv"))
    edition = archive.add_child(
        instance=NewsletterEdition(
            title="Ausgabe", slug="ausgabe", newsletter=newsletter, subject="Test", body=[("paragraph", "<p>Hallo</p>")]
        )
    )
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"empfaenger{number:04d}@example.org") for number in range(recipients)]
    )
    Subscription.objects.bulk_create(
        [Subscription(subscriber=s, newsletter=newsletter, status=Subscription.Status.CONFIRMED) for s in subscribers]
    )
    send, _started = start_send(create_send(edition), enqueue=False)
    print(send.pk)


if __name__ == "__main__":
    main(int(sys.argv[1]))
