"""The Teltow demo network: complete, and loading it again changes nothing."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from cms.models import FormatPage, NetworkBodyPage
from network.models import NetworkBody, Themenfeld, User

# Task results and the search index are written by Wagtail's own tasks on every save; the
# demo data itself is what must not change.
BOOKKEEPING = {"django_tasks_db.dbtaskresult"}


def row_counts():
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label_lower not in BOOKKEEPING
    }


@pytest.fixture
def seeded(db):
    call_command("seed_demo", verbosity=0)


def test_the_demo_has_every_body_themenfeld_and_format_of_the_concept(seeded):
    assert Themenfeld.objects.count() == 6
    assert NetworkBody.objects.filter(name__startswith="Fokusgruppe").count() == 9
    assert NetworkBody.objects.filter(kind=NetworkBody.Kind.LENKUNGSRUNDE).exists()
    assert NetworkBody.objects.filter(kind=NetworkBody.Kind.KONFERENZ).exists()
    assert NetworkBodyPage.objects.live().count() == NetworkBody.objects.count()
    assert FormatPage.objects.live().count() == 13
    assert User.objects.filter(approval=User.Approval.APPROVED).count() >= 60


def test_seeding_twice_changes_nothing(seeded, capsys):
    before = row_counts()

    call_command("seed_demo")

    assert row_counts() == before
    assert "koordination@example.org" in capsys.readouterr().out


def test_the_demo_refuses_to_run_where_demo_data_is_not_allowed(db, settings):
    settings.DEMO_DATA_ALLOWED = False

    with pytest.raises(CommandError, match="DEMO_DATA_ALLOWED"):
        call_command("seed_demo", verbosity=0)

    assert not User.objects.filter(email="admin@example.org").exists()
