"""The feedback templates the platform starts with (created by a data migration; editors change them in the
Wagtail admin under "Snippets → Feedback-Vorlagen"). Fixed block ids, so every feedback survey made from
one of them names its questions the same way."""

from typing import Any


def _question(block_id: str, kind: str, text: str, **value: Any) -> dict[str, Any]:
    return {
        "id": block_id,
        "type": kind,
        "value": {
            "question": text,
            "help_text": "",
            "required": False,
            "key": "",
            "show_if_key": "",
            "show_if_answer": "",
            **value,
        },
    }


MEETING = {
    "name": "Kurzes Feedback zur Sitzung",
    "kind": "meeting",
    "intro": "<p>Vielen Dank, dass Sie dabei waren! Vier kurze Fragen helfen uns, die nächste Sitzung besser "
    "vorzubereiten. Das dauert etwa zwei Minuten.</p>",
    "thank_you": "Vielen Dank für Ihr Feedback! Die Moderation bespricht die Ergebnisse in der nächsten Sitzung.",
    "questions": [
        _question(
            "7a1d4c52-51f0-4d39-9a57-0b5a1d7e0a01",
            "scale",
            "Wie zufrieden sind Sie insgesamt mit der Sitzung?",
            required=True,
            low_label="gar nicht zufrieden",
            high_label="sehr zufrieden",
        ),
        _question("7a1d4c52-51f0-4d39-9a57-0b5a1d7e0a02", "long_text", "Was war hilfreich?"),
        _question("7a1d4c52-51f0-4d39-9a57-0b5a1d7e0a03", "long_text", "Was sollen wir verbessern?"),
        _question(
            "7a1d4c52-51f0-4d39-9a57-0b5a1d7e0a04",
            "short_text",
            "Welches Thema wünschen Sie sich für das nächste Mal?",
        ),
    ],
}

CONFERENCE = {
    "name": "Feedback zur Sozialraumkonferenz",
    "kind": "conference",
    "intro": "<p>Vielen Dank für Ihre Teilnahme an der Sozialraumkonferenz! Fünf kurze Fragen helfen der "
    "Sozialraumkoordination, die nächste Konferenz zu planen.</p>",
    "thank_you": "Vielen Dank für Ihr Feedback! Die Auswertung fließt in die Planung der nächsten Konferenz ein.",
    "questions": [
        _question(
            "7a1d4c52-51f0-4d39-9a57-0b5a1d7e0b01",
            "scale",
            "Wie zufrieden sind Sie insgesamt mit der Sozialraumkonferenz?",
            required=True,
            low_label="gar nicht zufrieden",
            high_label="sehr zufrieden",
        ),
        _question(
            "7a1d4c52-51f0-4d39-9a57-0b5a1d7e0b02",
            "scale",
            "Wie hilfreich war Ihr Forum für Ihre Arbeit?",
            low_label="gar nicht hilfreich",
            high_label="sehr hilfreich",
        ),
        _question("7a1d4c52-51f0-4d39-9a57-0b5a1d7e0b03", "long_text", "Was war hilfreich?"),
        _question("7a1d4c52-51f0-4d39-9a57-0b5a1d7e0b04", "long_text", "Was sollen wir beim nächsten Mal verbessern?"),
        _question(
            "7a1d4c52-51f0-4d39-9a57-0b5a1d7e0b05",
            "short_text",
            "Welches Thema sollte die nächste Konferenz aufgreifen?",
        ),
    ],
}

DEFAULTS = {"meeting": MEETING, "conference": CONFERENCE}


def ensure_default_template(model: Any, kind: str) -> Any:
    """The kind's default template, created from DEFAULTS when there is none of that kind at all.

    `model` is passed in so the data migration can hand over its historical model."""
    existing = model.objects.filter(kind=kind).order_by("-is_default", "pk").first()
    if existing is not None:
        return existing
    data = DEFAULTS[kind]
    return model.objects.create(
        name=data["name"],
        kind=kind,
        is_default=True,
        intro=data["intro"],
        questions=[dict(block) for block in data["questions"]],
        anonymity="anonymous",
        open_days=14,
        thank_you=data["thank_you"],
    )
