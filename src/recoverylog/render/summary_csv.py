"""The daily rows of a sponsor summary as CSV (one row per day of the period)."""

from __future__ import annotations

import csv
import io

from recoverylog.reports.summary_view import SummaryView

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A CSV cell; text that a spreadsheet would run as a formula is prefixed with '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        text = "'" + text
    return text


def render_csv(view: SummaryView) -> str:
    substances = [s.name for s in view.substances]
    header = ["date", "checked_in", "mood", "craving", "stress", "sleep", "halt", "meetings"]
    for name in substances:
        header += [f"{name}_used", f"{name}_amount"]
    if view.include_notes:
        header += ["note", "gratitude", "tags"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([cell(h) for h in header])
    for d in view.days:
        row = [d.date.isoformat(), cell(d.checkin), cell(d.mood), cell(d.craving), cell(d.stress),
               cell(d.sleep), " ".join(d.halt), cell(d.meetings)]
        marks = {u.substance: u for u in d.uses}
        for name in substances:
            mark = marks.get(name)
            row += ["" if mark is None else cell(mark.used), "" if mark is None else cell(mark.amount)]
        if view.include_notes:
            row += [cell(d.note), cell(d.gratitude), cell(" ".join(d.tags))]
        writer.writerow(row)
    return out.getvalue()
