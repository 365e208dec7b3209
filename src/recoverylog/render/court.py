"""The court attendance sheet as CSV, Markdown and HTML (one CourtSheet feeds all three).

CSV (render/csvout.py, the one CSV style of every export): one table per file, so that a
spreadsheet's sums are right — the attendance rows (default) or, with `--table totals`, the
requirement totals. Markdown and HTML show both and escape every piece of text that came from
a person."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recoverylog.exports.court import CourtSheet

TITLE = "Meeting attendance sheet"
MEETING_HEADERS = ("Date", "Start time", "Minutes", "Meeting", "Fellowship", "Format", "Location or online ID",
                   "Group number", "Verification", "Verified by", "Reference")
TOTAL_HEADERS = ("Requirement", "Period", "Period start", "Period end", "Counted", "Required", "Short by", "Met")
FOOTNOTE = ("Recorded by the person in recoverylog. Verification methods and verifiers are as they recorded "
            "them; verifiers are named by first name or initials to respect members' anonymity. "
            "This sheet is not a signed document.")
DIGEST_NOTE = ("The digest detects accidental or naive changes to this sheet's content; it is not a "
               "signature: anyone can recompute it.")
CSV_TABLES = ("attendance", "totals")


def _footnote(sheet: "CourtSheet") -> str:
    return FOOTNOTE.replace(" This sheet is not a signed document.", "") if sheet.fingerprint else FOOTNOTE


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet will show as text (render/csvout.py's guard)."""
    from recoverylog.render.csvout import cell

    return cell(value)


def meeting_cells(row) -> list[object]:
    return [row.date.isoformat(), row.time, row.minutes, row.name, row.fellowship, row.format, row.place,
            row.group_number, row.verification, row.verified_by, row.ref]


def met_text(period) -> str:
    if period.current:
        left = f"{period.days_left} day{'s' if period.days_left != 1 else ''} left"
        return f"yes ({left})" if period.met else f"in progress ({left})"
    return "yes" if period.met else "no"


def period_text(period) -> str:
    return period.name + (" (partial)" if period.partial else "")


def total_cells(label: str, period) -> list[object]:
    return [label, period_text(period), period.start.isoformat(), period.end.isoformat(), period.counted,
            period.required, period.deficit, met_text(period)]


def summary_line(sheet: "CourtSheet") -> str:
    return (f"{sheet.period_start.isoformat()} to {sheet.period_end.isoformat()}: "
            f"{sheet.meetings} meeting{'s' if sheet.meetings != 1 else ''} on {sheet.meeting_days} "
            f"day{'s' if sheet.meeting_days != 1 else ''}, {sheet.verified} verified")


def to_csv(sheet: "CourtSheet", table: str = "attendance") -> str:
    """One table: the attendance rows, or (table="totals") one row per requirement period."""
    from recoverylog.render.csvout import header_name, write_csv

    if table == "totals":
        return write_csv([header_name(h) for h in TOTAL_HEADERS],
                         [total_cells(req.label, period) for req in sheet.requirements for period in req.periods])
    return write_csv([header_name(h) for h in MEETING_HEADERS], [meeting_cells(row) for row in sheet.rows])


def _md(value: object) -> str:
    """A Markdown table cell: HTML-escaped, pipes and backslashes escaped, on one line."""
    import html

    if value is None:
        return ""
    text = html.escape(" ".join(str(value).split()), quote=False)
    for char in ("\\", "|", "*", "_", "`", "[", "]"):
        text = text.replace(char, "\\" + char)
    return text


def _md_table(headers, rows) -> list[str]:
    lines = ["| " + " | ".join(_md(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return lines


def to_markdown(sheet: "CourtSheet") -> str:
    lines = [f"# {TITLE}", ""]
    if sheet.name:
        lines += [f"**Name:** {_md(sheet.name)}  "]
    lines += [f"**Period:** {_md(summary_line(sheet))}  ", f"**Generated:** {sheet.generated_at}", ""]
    if sheet.rows:
        lines += _md_table(MEETING_HEADERS, [meeting_cells(r) for r in sheet.rows])
    else:
        lines.append("No meetings were recorded in this period.")
    for req in sheet.requirements:
        lines += ["", f"## Requirement: {_md(req.label)}", "", _md(req.rule), ""]
        if req.periods:
            lines += _md_table(TOTAL_HEADERS[1:], [total_cells(req.label, p)[1:] for p in req.periods])
        else:
            lines.append("No period of this requirement falls in the sheet's dates.")
    lines += ["", "---", "", _md(_footnote(sheet)), "", f"Digest: `{sheet.digest}`. {_md(DIGEST_NOTE)}", ""]
    if sheet.fingerprint:
        from recoverylog.render.trust import fingerprint_footer

        lines += [fingerprint_footer(sheet.fingerprint), ""]  # our words; a fingerprint is A–Z, 2–7 and hyphens
    return "\n".join(lines)


def to_html(sheet: "CourtSheet") -> str:
    from recoverylog.render import html as h

    pairs = ([("Name", sheet.name)] if sheet.name else []) + [
        ("Period", f"{sheet.period_start.isoformat()} to {sheet.period_end.isoformat()}"),
        ("Meetings", f"{sheet.meetings} on {sheet.meeting_days} day{'s' if sheet.meeting_days != 1 else ''}"),
        ("Verified", str(sheet.verified)),
        ("Generated", sheet.generated_at),
    ]
    body = [h.facts(pairs)]
    if sheet.rows:
        body.append(h.section("Meetings", h.table(MEETING_HEADERS, [meeting_cells(r) for r in sheet.rows],
                                                   numeric=(2,), nowrap=(0, 1, 5))))
    else:
        body.append(h.paragraph("No meetings were recorded in this period."))
    for req in sheet.requirements:
        content = h.paragraph(req.rule)
        if req.periods:
            content += h.table(TOTAL_HEADERS[1:], [total_cells(req.label, p)[1:] for p in req.periods],
                               numeric=(3, 4, 5), nowrap=(1, 2))
        else:
            content += h.paragraph("No period of this requirement falls in the sheet's dates.")
        body.append(h.section(f"Requirement: {req.label}", content))
    signed = ""
    if sheet.fingerprint:
        from recoverylog.render.trust import fingerprint_footer_html

        signed = f'<p class="note">{fingerprint_footer_html(sheet.fingerprint)}</p>\n'
    body.append("<footer>\n" + h.note(_footnote(sheet)) + h.note(f"Digest: {sheet.digest}. {DIGEST_NOTE}") + signed
                + "</footer>")
    # Eleven columns read best across the page when printed.
    return h.page(TITLE, "".join(body), extra_css="@page { size: landscape; }")
