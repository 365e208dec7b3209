"""Input limits in one place (docs/definitions.md §12). Dates live in `recoverylog.dates`
(MIN_DATE, MAX_DATE); numbers, ids and paths live here.

- An amount is a finite number, 0 or more, at most MAX_AMOUNT for one record (one date × one
  substance, after same-day uses are added together). Ten years of daily records at the maximum
  sum to about 3.7 million: no sum over a journal can overflow a float or lose a unit.
- An id typed by a person is looked up only when it fits SQLite's 64-bit INTEGER; one that does
  not cannot name a row, so it is "no such …" (Store.query returns no rows for it).
- A path must be valid UTF-8 text, each name at most NAME_MAX bytes and the whole at most
  PATH_MAX bytes (Linux and macOS limits), so an over-long name gets one line, not an OSError.
"""

from __future__ import annotations

import math
from pathlib import Path

from recoverylog.errors import InputError

MAX_AMOUNT = 1000.0          # per record: standard drinks or a count, per day
SQLITE_INT_MIN = -(2**63)
SQLITE_INT_MAX = 2**63 - 1
NAME_MAX = 255
PATH_MAX = 4096


def check_amount(amount: float, flag: str = "--amount") -> float:
    """A finite amount in [0, MAX_AMOUNT]; InputError otherwise (the caller checks the unit)."""
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        raise InputError(f"{flag} must be a number.")
    if not math.isfinite(amount):
        raise InputError(f"{flag} {amount} is not a number.")
    if amount < 0:
        raise InputError(f"{flag} {amount:g} is negative: an amount is 0 or more.")
    if amount > MAX_AMOUNT:
        raise InputError(f"{flag} {amount:g} is more than {MAX_AMOUNT:g}, the most one day's record can hold.")
    return float(amount)


def check_total(total: float, what: str) -> float:
    """A day's total after adding a use to it: still within MAX_AMOUNT."""
    if not math.isfinite(total) or total > MAX_AMOUNT:
        raise InputError(f"{what}: the day's total would be {total:g}, more than {MAX_AMOUNT:g}, "
                         "the most one day's record can hold; nothing was saved.")
    return total


def fits_sqlite_int(value: object) -> bool:
    return not isinstance(value, int) or isinstance(value, bool) or SQLITE_INT_MIN <= value <= SQLITE_INT_MAX


def params_fit(params) -> bool:
    """True when every integer parameter of a query fits SQLite's INTEGER."""
    values = params.values() if isinstance(params, dict) else params
    return all(fits_sqlite_int(v) for v in values)


def check_path(path: str | Path, what: str = "path") -> Path:
    """A path a person typed: valid UTF-8, not empty, names and length within the system's limits."""
    from recoverylog.textcheck import invalid_utf8

    text = str(path)
    if text == "" or text.strip() == "":
        raise InputError(f"The {what} is empty; give a file name.")
    if invalid_utf8(text):
        raise InputError(f"The {what} is not valid UTF-8 text; nothing was changed.")
    if "\x00" in text:
        raise InputError(f"The {what} contains a NUL character; nothing was changed.")
    encoded = text.encode("utf-8")
    if len(encoded) > PATH_MAX:
        raise InputError(f"The {what} is longer than {PATH_MAX} bytes; nothing was changed.")
    for part in Path(text).parts:
        if len(part.encode("utf-8")) > NAME_MAX:
            raise InputError(f"The {what} has a name longer than {NAME_MAX} bytes "
                             f"({part[:20]}…); nothing was changed.")
    return Path(text).expanduser()
