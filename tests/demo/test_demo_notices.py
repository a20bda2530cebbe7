"""After `make run` the demo coordinator and members find notices: the current year's rating phase and
last year's priority list, marked as example data."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from network.models import User
from notices.models import Notice
from planning.announcements import PHASE_KIND, PRIORITIES_KIND

DEMO_MEMBER = "fachkraft@example.org"


@pytest.fixture
def seeded(db):
    call_command("seed_demo", verbosity=0)


def test_the_coordinator_and_the_lenkungsrunde_find_the_rating_phase_announced(seeded, client):
    coordinator = User.objects.get(email="koordination@example.org")
    client.force_login(coordinator)

    html = client.get("/mitteilungen/").content.decode()

    year = timezone.localdate().year
    assert f"Planungsjahr {year}: Die Phase „Bewertung durch die Lenkungsrunde“ hat begonnen" in html
    assert "(Beispieldaten)" in html and "ungelesen" in html
    rater = User.objects.get(email="moderation-praevention@example.org")
    assert Notice.objects.filter(recipient=rater, kind=PHASE_KIND, read_at__isnull=True).exists()


def test_the_demo_member_sees_last_years_priority_list_on_the_dashboard(seeded, client):
    client.force_login(User.objects.get(email=DEMO_MEMBER))

    html = client.get("/netzwerk/meine-gremien/").content.decode()

    assert "Neue Mitteilungen" in html
    assert "Zielvorschlag „Sprachförderung in allen Kitas ausbauen“ ist priorisiert" in html
    assert 'class="count-badge"' in html
    assert not Notice.objects.filter(recipient__email=DEMO_MEMBER, kind=PHASE_KIND).exists()
    assert Notice.objects.filter(recipient__email=DEMO_MEMBER, kind=PRIORITIES_KIND).count() == 4
