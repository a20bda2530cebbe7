"""Route converters shared by every app's urls.py (registered in core.apps)."""

# The largest id the database can hold: a signed 64-bit integer (BigAutoField on PostgreSQL, and SQLite's
# INTEGER). A bigger number in a URL reached the database and ended in a 500 (OverflowError on SQLite).
MAX_ID = 2**63 - 1


class IdConverter:
    """`<id:pk>`: like `<int:pk>`, but a number beyond any id does not match, so the URL answers 404."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            # Django takes a ValueError from a converter as "this pattern does not match".
            raise ValueError(f"{value} is larger than any id")
        return number

    def to_url(self, value: int) -> str:
        return str(value)


class YearConverter:
    """`<year:year>`: four digits, so a year fits every date column and a longer number answers 404."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"
