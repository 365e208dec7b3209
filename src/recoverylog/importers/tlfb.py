"""A Timeline Followback calendar as CSV (docs/definitions.md §11).

A header row with `date` and `amount` (and, for a file holding several people's calendars, an `id`
column chosen with `--id`). Dates are YYYY-MM-DD. Amount 0 is a recorded day without use; above 0,
a use of that amount (standard drinks for alcohol, as the TLFB counts them). An empty amount is a
day the calendar did not cover: it stays unrecorded.
"""

from __future__ import annotations

import math
from datetime import date

from recoverylog.errors import InputError
from recoverylog.importers import ImportPlan, UseEntry, check_not_future, decode, parse_iso_day, read_csv_rows

MAX_AMOUNT = 1000


def parse(data: bytes, label: str, today: date, substance: str, person_id: str | None = None) -> ImportPlan:
    if not substance or not substance.strip():
        raise InputError("A TLFB calendar is for one substance: give --substance NAME.")
    rows = read_csv_rows(decode(data, label), label)
    if not rows:
        raise InputError(f"{label} is empty. Nothing was imported.")
    header = [h.strip().lower() for h in rows[0]]
    if "date" not in header or "amount" not in header:
        raise InputError(f"{label} needs a header row with date and amount columns (date,amount; "
                         "optionally id). Nothing was imported.")
    col_date, col_amount = header.index("date"), header.index("amount")
    col_id = header.index("id") if "id" in header else None
    if person_id is not None and col_id is None:
        raise InputError(f"{label} has no id column, so --id {person_id!r} cannot choose a calendar.")
    if col_id is not None and person_id is None:
        ids = sorted({r[col_id].strip() for r in rows[1:] if col_id < len(r)})
        if len(ids) > 1:
            raise InputError(f"{label} holds {len(ids)} calendars (ids {', '.join(ids[:5])}"
                             f"{', …' if len(ids) > 5 else ''}); choose one with --id.")
    uses: dict[date, UseEntry] = {}
    skipped = 0
    for number, row in enumerate(rows[1:], start=2):
        where = f"line {number}"
        row = row + [""] * (len(header) - len(row))
        if person_id is not None and row[col_id].strip() != person_id.strip():
            continue
        day = parse_iso_day(row[col_date], label, where)
        text = row[col_amount].strip()
        if not text:
            skipped += 1
            continue
        try:
            amount = float(text)
        except ValueError:
            raise InputError(f"{label}, {where}: amount {text[:20]!r} is not a number. Nothing was imported.") from None
        if math.isnan(amount) or not 0 <= amount <= MAX_AMOUNT:
            raise InputError(f"{label}, {where}: amount {text[:20]} is out of range (0–{MAX_AMOUNT}). "
                             "Nothing was imported.")
        check_not_future(label, where, day, today)
        if day in uses:
            raise InputError(f"{label}, {where}: {day.isoformat()} appears twice; a calendar has one amount a day. "
                             "Nothing was imported.")
        uses[day] = UseEntry(substance=" ".join(substance.split()), date=day, used=amount > 0,
                             amount=amount if amount > 0 else None)
    if person_id is not None and not uses and not skipped:
        raise InputError(f"{label} has no rows with id {person_id!r}. Nothing was imported.")
    return ImportPlan(source="tlfb", label=label, uses=tuple(uses[d] for d in sorted(uses)),
                      rows_read=len(rows) - 1, skipped={"left blank": skipped})
