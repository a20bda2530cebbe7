"""A survey's questions as plain values, read once from its StreamField, and the rules on answers to them.

Answers are JSON-able values per question id: a choice question {"choice"/"choices", "other"}, a scale
or number an int, a text a str, a matrix {item index: int}. Conditions ("show B only when A has answer
X") are evaluated here, on the server, so the survey works without JavaScript.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CHOICE_KINDS = ("single_choice", "multiple_choice")
SCALE_KINDS = ("scale", "matrix")
TEXT_KINDS = ("short_text", "long_text")
# The stored value of the "Sonstiges" option; its free text goes beside it.
OTHER = "__sonstiges__"
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5000


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    text: str
    help_text: str = ""
    required: bool = False
    key: str = ""
    show_if_key: str = ""
    show_if_answer: str = ""
    options: tuple[str, ...] = ()
    allow_other: bool = False
    low_label: str = ""
    high_label: str = ""
    min_value: int | None = None
    max_value: int | None = None
    items: tuple[str, ...] = ()
    page: int = 0
    number: int = 0  # 1-based position in the whole survey, for headings and exports

    @property
    def is_conditional(self) -> bool:
        return bool(self.show_if_key)

    @property
    def has_free_text(self) -> bool:
        return self.kind in TEXT_KINDS or self.allow_other


@dataclass
class Section:
    title: str
    intro: str = ""
    questions: list[Question] = field(default_factory=list)


def sections_of(stream: Any) -> list[Section]:
    """The survey's pages: a section block starts a new one; questions before the first section form page one."""
    sections: list[Section] = []
    number = 0
    for block in stream:
        if block.block_type == "section":
            sections.append(Section(title=block.value["title"], intro=block.value.get("intro") or ""))
            continue
        if not sections:
            sections.append(Section(title=""))
        number += 1
        value = block.value
        sections[-1].questions.append(
            Question(
                id=str(block.id),
                kind=block.block_type,
                text=value["question"],
                help_text=value.get("help_text") or "",
                required=bool(value.get("required")),
                key=(value.get("key") or "").strip(),
                show_if_key=(value.get("show_if_key") or "").strip(),
                show_if_answer=(value.get("show_if_answer") or "").strip(),
                options=tuple(str(option) for option in value.get("options") or ()),
                allow_other=bool(value.get("allow_other")),
                low_label=value.get("low_label") or "",
                high_label=value.get("high_label") or "",
                min_value=value.get("min_value"),
                max_value=value.get("max_value"),
                items=tuple(str(item) for item in value.get("items") or ()),
                page=len(sections) - 1,
                number=number,
            )
        )
    return [section for section in sections if section.questions] or [Section(title="")]


def all_questions(sections: list[Section]) -> list[Question]:
    return [question for section in sections for question in section.questions]


def _matches(question: Question, value: Any, expected: str) -> bool:
    expected = expected.strip().casefold()
    if value is None:
        return False
    if question.kind == "single_choice":
        return str(value.get("choice", "")).casefold() == expected
    if question.kind == "multiple_choice":
        return expected in {str(choice).casefold() for choice in value.get("choices", [])}
    if question.kind == "matrix":
        return False
    return str(value).strip().casefold() == expected


def is_visible(question: Question, answers: dict[str, Any], questions: list[Question]) -> bool:
    """Shown when it has no condition, or when the question it depends on is shown and has the answer."""
    if not question.is_conditional:
        return True
    by_key = {q.key: q for q in questions if q.key}
    seen = set()
    current = question
    while current.is_conditional:
        source = by_key.get(current.show_if_key)
        # An unknown key or a loop of conditions: the editor's mistake must not hide the question forever.
        if source is None or source.id in seen:
            return True
        seen.add(source.id)
        if not _matches(source, answers.get(source.id), current.show_if_answer):
            return False
        current = source
    return True


def condition_source(question: Question, questions: list[Question]) -> Question | None:
    return next((q for q in questions if question.show_if_key and q.key == question.show_if_key), None)


def is_answered(question: Question, value: Any) -> bool:
    if value is None or value == "" or value == {} or value == []:
        return False
    if question.kind == "single_choice":
        return bool(value.get("choice"))
    if question.kind == "multiple_choice":
        return bool(value.get("choices"))
    if question.kind == "matrix":
        return len(value) == len(question.items)
    return True


def answer_rows(question: Question, value: Any) -> list[dict[str, Any]]:
    """The `Answer` rows (field values) one validated answer is stored as."""
    if not is_answered(question, value) and not (question.kind == "matrix" and value):
        return []
    if question.kind == "single_choice":
        choice = value["choice"]
        return [{"choice": choice, "text": value.get("other", "") if choice == OTHER else ""}]
    if question.kind == "multiple_choice":
        return [
            {"choice": choice, "text": value.get("other", "") if choice == OTHER else ""} for choice in value["choices"]
        ]
    if question.kind in ("scale", "number"):
        return [{"number": int(value)}]
    if question.kind == "matrix":
        return [{"item": str(item), "number": int(number)} for item, number in sorted(value.items())]
    return [{"text": str(value)}]


def value_from_rows(question: Question, rows: list[Any]) -> Any:
    """The answer value back from its stored rows (to continue a saved survey or edit an answer)."""
    if not rows:
        return None
    if question.kind == "single_choice":
        row = rows[0]
        return {"choice": row.choice, "other": row.text if row.choice == OTHER else ""}
    if question.kind == "multiple_choice":
        other = next((row.text for row in rows if row.choice == OTHER), "")
        return {"choices": [row.choice for row in rows], "other": other}
    if question.kind in ("scale", "number"):
        return rows[0].number
    if question.kind == "matrix":
        return {row.item: row.number for row in rows}
    return rows[0].text


# The database's integer column: numbers beyond it are refused rather than overflowing.
NUMBER_LIMIT = 2_000_000_000


def clean_value(question: Question, value: Any) -> Any:
    """The answer as stored, or a ValidationError with the German reason. The one rule for the form and the service."""
    if value is None or value == "" or value == [] or value == {}:
        return None
    if question.kind == "single_choice":
        if not isinstance(value, dict):
            raise ValidationError(_("Bitte wählen Sie eine der angebotenen Antworten."))
        choice, other = str(value.get("choice") or ""), str(value.get("other") or "").strip()
        if choice == OTHER and question.allow_other:
            if not other:
                raise ValidationError(_("Bitte beschreiben Sie „Sonstiges“ in ein paar Worten."))
            if len(other) > SHORT_TEXT_MAX:
                raise ValidationError(
                    _("„Sonstiges“ darf höchstens %(max)d Zeichen lang sein.") % {"max": SHORT_TEXT_MAX}
                )
            return {"choice": OTHER, "other": other}
        if choice not in question.options:
            raise ValidationError(_("Diese Antwort wird bei der Frage nicht angeboten."))
        return {"choice": choice, "other": ""}
    if question.kind == "multiple_choice":
        if not isinstance(value, dict) or not isinstance(value.get("choices"), list):
            raise ValidationError(_("Bitte wählen Sie aus den angebotenen Antworten."))
        choices = [str(choice) for choice in value["choices"]]
        offered = set(question.options) | ({OTHER} if question.allow_other else set())
        if any(choice not in offered for choice in choices) or len(set(choices)) != len(choices):
            raise ValidationError(_("Diese Antwort wird bei der Frage nicht angeboten."))
        other = str(value.get("other") or "").strip()
        if OTHER in choices and not other:
            raise ValidationError(_("Bitte beschreiben Sie „Sonstiges“ in ein paar Worten."))
        if len(other) > SHORT_TEXT_MAX:
            raise ValidationError(_("„Sonstiges“ darf höchstens %(max)d Zeichen lang sein.") % {"max": SHORT_TEXT_MAX})
        if not choices:
            return None
        # Stored in the order the options are offered, so an edited answer compares equal.
        order = {option: index for index, option in enumerate((*question.options, OTHER))}
        return {"choices": sorted(choices, key=order.__getitem__), "other": other if OTHER in choices else ""}
    if question.kind in ("scale", "number"):
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            raise ValidationError(_("Bitte geben Sie eine ganze Zahl ein.")) from None
        low, high = (1, 5) if question.kind == "scale" else (question.min_value, question.max_value)
        low = -NUMBER_LIMIT if low is None else low
        high = NUMBER_LIMIT if high is None else high
        if not low <= number <= high:
            raise ValidationError(
                _("Bitte geben Sie eine Zahl von %(low)s bis %(high)s an.") % {"low": low, "high": high}
            )
        return number
    if question.kind == "matrix":
        if not isinstance(value, dict):
            raise ValidationError(_("Bitte bewerten Sie die Aussagen auf der Skala von 1 bis 5."))
        cleaned = {}
        for item, number in value.items():
            if str(item) not in {str(index) for index in range(len(question.items))}:
                raise ValidationError(_("Diese Aussage gehört nicht zur Frage."))
            try:
                number = int(str(number))
            except (TypeError, ValueError):
                raise ValidationError(_("Bitte bewerten Sie die Aussagen auf der Skala von 1 bis 5.")) from None
            if number not in (1, 2, 3, 4, 5):
                raise ValidationError(_("Bitte bewerten Sie die Aussagen auf der Skala von 1 bis 5."))
            cleaned[str(item)] = number
        return cleaned or None
    text = str(value).strip()
    limit = SHORT_TEXT_MAX if question.kind == "short_text" else LONG_TEXT_MAX
    if len(text) > limit:
        raise ValidationError(
            _("Die Antwort darf höchstens %(max)d Zeichen lang sein (jetzt %(length)d).")
            % {"max": limit, "length": len(text)}
        )
    if "\x00" in text:
        raise ValidationError(_("Die Antwort enthält ein unzulässiges Zeichen."))
    return text or None
