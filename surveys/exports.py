"""CSV and XLSX exports of a survey's responses: one row per response, one column per answer part.

Multiple choice gives one 0/1 column per option, a matrix one column per statement, so each cell is
one number or one text and a spreadsheet counts them back. Cells that a spreadsheet would run as a
formula (=, +, -, @ at the start of a text) are prefixed with an apostrophe.
"""

import csv
import io
from collections import defaultdict
from typing import NamedTuple

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .models import SurveyPage
from .questions import OTHER, all_questions
from .selectors import results, submitted_answers, submitted_responses


class Part(NamedTuple):
    item: str
    choice: str
    number: int | None
    text: str


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def table(survey: SurveyPage, **filters) -> tuple[list[str], list[list]]:
    questions = all_questions(survey.sections())
    header = [_("Eingang (Tag)"), _("Gremium")]
    columns = []  # (question, part) in the order of the header
    for q in questions:
        prefix = f"{q.number}. {q.text}"
        if q.kind == "multiple_choice":
            for option in q.options:
                header.append(f"{prefix} [{option}]")
                columns.append((q, ("option", option)))
            if q.allow_other:
                header += [f"{prefix} [{_('Sonstiges')}]", f"{prefix} [{_('Sonstiges, Text')}]"]
                columns += [(q, ("option", OTHER)), (q, ("other", None))]
        elif q.kind == "single_choice":
            header.append(prefix)
            columns.append((q, ("choice", None)))
            if q.allow_other:
                header.append(f"{prefix} [{_('Sonstiges, Text')}]")
                columns.append((q, ("other", None)))
        elif q.kind == "matrix":
            for index, item in enumerate(q.items):
                header.append(f"{prefix} [{item}]")
                columns.append((q, ("item", str(index))))
        else:
            header.append(prefix)
            columns.append((q, ("value", None)))
    responses = list(
        submitted_responses(survey, **filters)
        .order_by("submitted_on", "pk")
        .values_list("pk", "submitted_on", "body__name")
    )
    # Plain tuples, not model instances: an export of 10,000 responses reads about 100,000 rows.
    rows_by_response = defaultdict(lambda: defaultdict(list))
    for answer in (
        submitted_answers(survey, **filters)
        .order_by("pk")
        .values_list("response_id", "question", "item", "choice", "number", "text")
    ):
        rows_by_response[answer[0]][answer[1]].append(Part(*answer[2:]))
    body = []
    for pk, submitted_on, body_name in responses:
        answers = rows_by_response[pk]
        row = [submitted_on.isoformat(), body_name or ""]
        for q, (part, key) in columns:
            rows = answers.get(q.id, [])
            if part == "option":
                row.append(1 if any(a.choice == key for a in rows) else (0 if rows else ""))
            elif part == "choice":
                row.append(_("Sonstiges") if rows and rows[0].choice == OTHER else (rows[0].choice if rows else ""))
            elif part == "other":
                row.append(_safe(next((a.text for a in rows if a.choice == OTHER), "")))
            elif part == "item":
                row.append(next((a.number for a in rows if a.item == key), ""))
            elif q.kind in ("scale", "number"):
                row.append(rows[0].number if rows else "")
            else:
                row.append(_safe(rows[0].text) if rows else "")
        body.append(row)
    return header, body


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", _safe(text))


def csv_bytes(survey: SurveyPage, **filters) -> bytes:
    header, rows = table(survey, **filters)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    # With a byte order mark, spreadsheet programs read the umlauts right.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(survey: SurveyPage, **filters) -> bytes:
    header, rows = table(survey, **filters)
    # Write-only: rows stream to the file instead of becoming cell objects (10,000 responses are 250,000 cells).
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Antworten"))
    for row in [header, *rows]:
        # Control characters a person may paste into a text are not allowed in the XML of a sheet.
        sheet.append([_clean(cell) if isinstance(cell, str) else cell for cell in row])
    summary = book.create_sheet(_("Übersicht"))
    summary.append([_("Frage"), _("Antwort"), _("Anzahl"), _("Prozent")])
    for result in results(survey, **filters).questions:
        for share in result.options:
            summary.append([_clean(result.question.text), _clean(share.label), share.count, share.percent])
        for share in result.distribution:
            summary.append([_clean(result.question.text), share.label, share.count, share.percent])
        for item in result.items:
            for share in item.distribution:
                summary.append(
                    [_clean(f"{result.question.text} [{item.label}]"), share.label, share.count, share.percent]
                )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
