"""Dates typed by people (docs/definitions.md §1).

Accepted: ISO `2026-03-07`, its compact form `20260307`, year-first `2026/03/07`,
`today`, `yesterday`, `tomorrow` (then refused where the future is), `N days ago`,
`N weeks ago`, `a week ago`, a weekday name (the most recent such day, today included),
`last friday` (the most recent one before today), and month-name forms (`7 March`,
`Mar 7 2026`). A form without a year means the most recent such date that is not
in the future. All-numeric non-ISO dates (`03/04/2026`) are ambiguous and refused.
`dateutil.parser` is imported only for month-name forms (it costs ~70 ms).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from recoverylog.errors import InputError

ACCEPTED_FORMS = (
    "YYYY-MM-DD (or 2026/03/07, 20260307), today, yesterday, 'N days ago', '2 weeks ago', a weekday name, "
    "'last friday', or a month name with a day ('7 March', 'Mar 7 2026')"
)

# Input limits (docs/definitions.md §1, §12): no typed date before 1900-01-01 (nothing a person
# records about their own recovery is older, and day arithmetic near year 1 overflows), and no
# date after 2999-12-31 even where a future date is allowed (an end date, a target).
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2999, 12, 31)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Patterns as text: `re` compiles each on first use (and keeps it), so a command that reads no
# typed date compiles none.
_ISO = r"^\d{4}-\d{1,2}-\d{1,2}$"
_NUMERIC = r"^[\d\s/.\-]+$"
_DAYS_AGO = r"^(\d{1,6}|an?|one)\s+(day|week)s?\s+ago$"
_YEAR_FIRST = r"^(\d{4})/(\d{1,2})/(\d{1,2})$"   # 2026/11/29: year first is unambiguous
_COMPACT = r"^(\d{4})(\d{2})(\d{2})$"            # 20261129: ISO 8601 basic format
_LAST_WEEKDAY = r"^last\s+([a-z]+)$"


def _weekday_index(word: str) -> int | None:
    for index, name in enumerate(WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            return index
    return None


def _year_month_day(word: str) -> tuple[int, int, int] | None:
    """The numeric forms that cannot be misread: year first, with '-', '/' or nothing between."""
    if re.match(_ISO, word):
        year, month, day = word.split("-")
    elif match := (re.match(_YEAR_FIRST, word) or re.match(_COMPACT, word)):
        year, month, day = match.groups()
    else:
        return None
    return int(year), int(month), int(day)


def parse_date(text: str, today: date, *, allow_future: bool = False, what: str = "date") -> date:
    """Parse a date a person typed, relative to `today`.

    Raises InputError with a message naming the accepted forms when the text is
    not a date, is ambiguous, is impossible, or is in the future (unless allowed).
    """
    raw = text.strip()
    word = raw.lower()
    if not word:
        raise InputError(f"The {what} is empty. Use {ACCEPTED_FORMS}.")
    result: date
    if word == "today":
        result = today
    elif word == "yesterday":
        result = today - timedelta(days=1)
    elif word == "tomorrow":
        result = today + timedelta(days=1)
    elif match := re.match(_DAYS_AGO, " ".join(word.split())):
        count = 1 if match.group(1) in ("a", "an", "one") else int(match.group(1))
        try:
            result = today - timedelta(days=count * (7 if match.group(2) == "week" else 1))
        except (OverflowError, ValueError):
            raise InputError(f"{raw!r} is too far back to be a date.") from None
    elif (index := _weekday_index(word)) is not None:
        result = today - timedelta(days=(today.weekday() - index) % 7)
    elif (match := re.match(_LAST_WEEKDAY, " ".join(word.split()))) and (index := _weekday_index(match.group(1))) is not None:
        result = today - timedelta(days=(today.weekday() - index - 1) % 7 + 1)  # before today, never today
    elif (parts := _year_month_day(word)) is not None:
        year, month, day = parts
        try:
            result = date(year, month, day)
        except (ValueError, OverflowError):
            raise InputError(
                f"{raw} is not a real calendar date. Use {ACCEPTED_FORMS}."
            ) from None
    elif re.match(_NUMERIC, word):
        raise InputError(
            f"{raw!r} is ambiguous: it could be day/month or month/day. "
            f"Write it as YYYY-MM-DD (e.g. {today.isoformat()}) or with a month name ('7 March')."
        )
    else:
        result = _parse_month_name(raw, today)
    if result < MIN_DATE:
        raise InputError(f"The {what} {result.isoformat()} is before {MIN_DATE.isoformat()}, "
                         "the earliest date recoverylog records.")
    if result > MAX_DATE:
        raise InputError(f"The {what} {result.isoformat()} is after {MAX_DATE.isoformat()}, "
                         "the latest date recoverylog accepts.")
    if result > today and not allow_future:
        reason = ("a report can only count days that have happened"
                  if what.startswith(("--as-of", "--until")) else "only days that have happened can be recorded")
        raise InputError(
            f"The {what} {result.isoformat()} is in the future (today is {today.isoformat()}): {reason}."
        )
    return result


def _parse_month_name(raw: str, today: date) -> date:
    from datetime import datetime

    from dateutil import parser

    not_a_date = InputError(f"{raw!r} is not a date I can read. Use {ACCEPTED_FORMS}.")
    if not re.search(r"[a-zA-Z]{3,}", raw):
        raise not_a_date
    try:
        # Two defaults that differ in year and day reveal which parts were typed.
        # Both years are leap years so that "29 Feb" parses with either.
        first = parser.parse(raw, default=datetime(2000, 1, 1), fuzzy=False)
        second = parser.parse(raw, default=datetime(1996, 2, 2), fuzzy=False)
    except (ValueError, OverflowError, parser.ParserError):
        raise not_a_date from None
    if (first.hour, first.minute, first.second) != (0, 0, 0):
        raise not_a_date
    if first.day != second.day:
        raise InputError(f"{raw!r} has no day of the month. Use {ACCEPTED_FORMS}.")
    if first.month != second.month:
        raise not_a_date
    if first.year == second.year:
        return first.date()
    # No year typed: the most recent such date that is not in the future.
    year = today.year
    while True:
        try:
            candidate = date(year, first.month, first.day)
        except ValueError:  # 29 February in a common year
            year -= 1
            continue
        if candidate <= today:
            return candidate
        year -= 1
