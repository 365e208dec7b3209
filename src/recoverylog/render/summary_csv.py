"""The daily rows of a sponsor summary as CSV (one row per day of the period)."""

from __future__ import annotations

from recoverylog.render.csvout import cell, header_name, write_csv  # noqa: F401  (cell: kept for callers)
from recoverylog.reports.summary_view import SummaryView


def render_csv(view: SummaryView) -> str:
    substances = [s.name for s in view.substances]
    header = ["date", "checked_in", "mood", "craving", "stress", "sleep", "halt", "meetings"]
    for name in substances:
        header += [f"{header_name(name)}_used", f"{header_name(name)}_amount"]
    if view.include_notes:
        header += ["note", "gratitude", "tags"]
    rows = []
    for d in view.days:
        row: list[object] = [d.date.isoformat(), d.checkin, d.mood, d.craving, d.stress, d.sleep,
                             " ".join(d.halt), d.meetings]
        marks = {u.substance: u for u in d.uses}
        for name in substances:
            mark = marks.get(name)
            row += [None, None] if mark is None else [mark.used, mark.amount]
        if view.include_notes:
            row += [d.note, d.gratitude, " ".join(d.tags)]
        rows.append(row)
    return write_csv(header, rows)
