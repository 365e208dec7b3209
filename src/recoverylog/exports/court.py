"""The court attendance sheet (docs/definitions.md §8): one row per meeting, and totals per requirement period
(in CSV, a second table chosen with `--table totals`).

Attendance only: no mood, craving, substance, note or any other clinical data ever reaches it
(the rows are built from an explicit list of attendance fields). Formats: csv (default),
markdown, html, and json (the shared export envelope). The default period runs from the start
of the earliest active requirement (or the first meeting) to today: the whole supervision period.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from recoverylog.errors import InputError
from recoverylog.exports import ExportDocument, ExportRequest
from recoverylog.records import record

FORMATS = ("csv", "markdown", "html", "json")
DEFAULT_FORMAT = "csv"


@record
class CourtRow:
    date: date
    time: str | None
    minutes: int | None
    name: str
    fellowship: str | None
    format: str | None
    place: str | None                         # location, or online meeting ID
    group_number: str | None
    verification: str
    verified_by: str | None
    ref: str | None


@record
class CourtRequirement:
    label: str
    rule: str                                 # in words: "3 meetings a week (Monday to Sunday), …"
    periods: tuple                            # reports.meetings.PeriodTotal, those overlapping the sheet


@record
class CourtSheet:
    period_start: date
    period_end: date
    generated_at: str
    name: str | None
    rows: tuple[CourtRow, ...]
    requirements: tuple[CourtRequirement, ...]
    meetings: int
    verified: int
    meeting_days: int
    digest: str
    fingerprint: str | None = None            # the signing key's, when the person has one


def _place(row: dict) -> str | None:
    parts = [row.get("location"), f"ID {row['online_id']}" if row.get("online_id") else None]
    return " · ".join(p for p in parts if p) or None


def court_row(row: dict) -> CourtRow:
    """Only attendance fields: nothing else from the meeting (its private note) or elsewhere."""
    return CourtRow(date=date.fromisoformat(row["date"]), time=row.get("time"), minutes=row.get("minutes"),
                    name=row["name"], fellowship=row.get("fellowship"), format=row.get("format"),
                    place=_place(row), group_number=row.get("group_number"),
                    verification=row.get("verification") or "none", verified_by=row.get("verified_by"),
                    ref=row.get("ref"))


def default_period(store, request: ExportRequest) -> tuple[date, date]:
    from recoverylog.reports.meetings import load_rules
    from recoverylog.reports.period import resolve_period
    from recoverylog.storage.meetings import first_date

    if request.week or request.month:
        period = resolve_period(request.as_of, week=request.week, month=request.month,
                                since=request.since, until=request.until)
        return period.start, period.end
    end = request.until or request.as_of
    start = request.since
    if start is None:
        active = [r.start for r in load_rules(store) if r.active_on(end) or r.active_on(request.today)]
        start = min(active) if active else first_date(store)
        start = min(start, end) if start is not None else end
    if start > end:
        raise InputError(f"--since {start.isoformat()} is after the end of the period ({end.isoformat()}).")
    return start, end


def build_sheet(store, request: ExportRequest) -> CourtSheet:
    from recoverylog.render.meetings import rule_plain
    from recoverylog.reports.meetings import attendance, load_rules, natural_period, requirement_periods
    from recoverylog.storage.meetings import list_range

    start, end = default_period(store, request)
    rules = [r for r in load_rules(store) if r.start <= end and (r.end is None or r.end >= start)]
    # Totals cover whole requirement periods, so read from the first period touching the sheet.
    read_from = min([start] + [max(r.start, natural_period(start, r.per, r.week_starts)[0]) for r in rules])
    meeting_rows = list_range(store, read_from, end)
    facts = [attendance(r) for r in meeting_rows]
    shown = [r for r in meeting_rows if start.isoformat() <= r["date"] <= end.isoformat()]
    rows = tuple(court_row(r) for r in shown)
    requirements = tuple(
        CourtRequirement(label=rule.label, rule=rule_plain(rule),
                         periods=tuple(p for p in requirement_periods(rule, facts, end)
                                       if p.end >= start and p.start <= end))
        for rule in rules)
    sheet = CourtSheet(period_start=start, period_end=end, generated_at=store.now().isoformat(timespec="seconds"),
                       name=request.name, rows=rows, requirements=requirements, meetings=len(rows),
                       verified=sum(r.verification != "none" for r in rows),
                       meeting_days=len({r.date for r in rows}), digest="")
    return replace(sheet, digest=envelope(sheet)["digest"])


def envelope(sheet: CourtSheet) -> dict:
    """The shared JSON export envelope of a sheet; its digest is the sheet's digest in every format."""
    from recoverylog.exports.envelope import make_envelope, period_dict
    from recoverylog.render.jsonout import to_jsonable

    data = {"meetings": sheet.meetings, "verified": sheet.verified, "meeting_days": sheet.meeting_days,
            "rows": to_jsonable(sheet.rows), "requirements": to_jsonable(sheet.requirements)}
    return make_envelope(profile="court", generated_at=sheet.generated_at,
                         period=period_dict(sheet.period_start, sheet.period_end), name=sheet.name, data=data)


def build(store, request: ExportRequest) -> ExportDocument:
    fmt = request.format or DEFAULT_FORMAT
    if fmt not in FORMATS:
        raise InputError(f"The court sheet comes as {', '.join(FORMATS)}; not {fmt}.")
    table = (request.table or "attendance").strip().lower()
    from recoverylog.render import court as render

    if table not in render.CSV_TABLES:
        raise InputError(f"--table {request.table!r}: the court sheet's tables are {' and '.join(render.CSV_TABLES)}.")
    if request.table is not None and fmt != "csv":
        raise InputError(f"--table chooses one table of the court CSV; {fmt} shows both. Add -f csv or leave --table out.")
    from recoverylog.services.keys import sign_if_key

    sheet = build_sheet(store, request)
    doc, fingerprint = sign_if_key(store.path, envelope(sheet))
    sheet = replace(sheet, fingerprint=fingerprint)
    if fmt == "csv":
        content = render.to_csv(sheet, table)
    elif fmt == "json":
        from recoverylog.exports.envelope import dumps

        content = dumps(doc)
    else:
        content = {"markdown": render.to_markdown, "html": render.to_html}[fmt](sheet)
    return ExportDocument(profile="court", format=fmt, content=content, period_start=sheet.period_start,
                          period_end=sheet.period_end, digest=sheet.digest,
                          extra={"meetings": sheet.meetings, "fingerprint": fingerprint})


