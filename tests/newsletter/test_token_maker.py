"""The newsletter's links carry tokens made by a signer whose key is derived once per batch
(`tokens.dumper`); they must be exactly what `django.core.signing.dumps` makes, so that every reader of
`signing.loads` (the manage and unsubscribe pages, the unsubscribe mailbox) accepts them."""

import random
import time

import pytest
from django.core import signing

from newsletter import tokens


def same_second_pair(make_fast, make_django):
    """Both tokens made within one second (a token carries the second it was made in)."""
    while True:
        before = int(time.time())
        fast, django = make_fast(), make_django()
        if int(time.time()) == before:
            return fast, django


def test_the_fast_tokens_are_the_tokens_django_signing_makes(settings):
    rng = random.Random(16)
    settings.SECRET_KEY = "ein-geheimer-schluessel-" + "".join(rng.choices("abcdef0123456789", k=32))
    for email in ["Leserin@Example.org", "jörg.müller@beispiel.de", 'o"quote\\@example.org', "a@b.c"]:
        newsletter_id = rng.randrange(1, 10_000)
        fast, django = same_second_pair(
            lambda email=email, newsletter_id=newsletter_id: tokens.unsubscribe_token_maker(newsletter_id)(email),
            lambda email=email, newsletter_id=newsletter_id: signing.dumps(
                [email.lower(), newsletter_id], salt=tokens.UNSUBSCRIBE_SALT
            ),
        )
        assert fast == django
        assert tokens.read_unsubscribe_token(fast) == (email.lower(), newsletter_id)
        fast, django = same_second_pair(
            lambda email=email: tokens.manage_token_maker()(email),
            lambda email=email: signing.dumps(email.lower(), salt=tokens.MANAGE_SALT),
        )
        assert fast == django
        assert tokens.read_manage_token(fast) == email.lower()


def test_a_token_of_one_purpose_is_refused_for_another():
    token = tokens.manage_token_maker()("leserin@example.org")
    with pytest.raises(tokens.TokenInvalid):
        tokens.read_unsubscribe_token(token)


def test_a_maker_kept_for_a_whole_batch_writes_each_token_with_its_own_second():
    make = tokens.manage_token_maker()
    make("leserin@example.org")
    # The maker writes the second once a second: the next second's token must carry the next second.
    time.sleep(1.05 - time.time() % 1)
    fast, django = same_second_pair(
        lambda: make("leserin@example.org"), lambda: signing.dumps("leserin@example.org", salt=tokens.MANAGE_SALT)
    )
    assert fast == django


def test_addresses_of_every_printable_character_get_the_tokens_django_makes():
    rng = random.Random(2920)
    alphabet = [chr(code) for code in range(32, 127)] + ["ä", "ß", "\u00a0"]
    for _round in range(300):
        email = "".join(rng.choices(alphabet, k=rng.randrange(1, 30)))
        newsletter_id = rng.randrange(1, 10_000)
        fast, django = same_second_pair(
            lambda email=email, newsletter_id=newsletter_id: (
                tokens.manage_token_maker()(email),
                tokens.unsubscribe_token_maker(newsletter_id)(email),
            ),
            lambda email=email, newsletter_id=newsletter_id: (
                signing.dumps(email.lower(), salt=tokens.MANAGE_SALT),
                signing.dumps([email.lower(), newsletter_id], salt=tokens.UNSUBSCRIBE_SALT),
            ),
        )
        assert fast == django, email
