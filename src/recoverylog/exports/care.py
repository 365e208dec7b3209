"""The `care` profile: a summary for a counselor, therapist or prescriber.

Self-assessments with bands and change, medication adherence with coverage, mood, sleep and
stress trends, use per substance, meetings; notes only with --include-notes. Every figure is read
from the functions that compute it for `report` (reports.report, reports.health): nothing is
recomputed here. The JSON goes through the same envelope (digest) as the sponsor summary;
markdown and HTML are rendered from that envelope's data."""

from __future__ import annotations

from datetime import date
from typing import Any

from recoverylog.errors import InputError
from recoverylog.exports import ExportDocument, ExportRequest

FORMATS = ("markdown", "html", "json")


def _r(value: float | None, digits: int = 2) -> float | int | None:
    if value is None:
        return None
    value = round(float(value), digits)
    return int(value) if value.is_integer() else value


def build_data(store, request: ExportRequest, period) -> dict[str, Any]:
    from recoverylog.reports.daystate import reduce_json
    from recoverylog.reports.health import health_report
    from recoverylog.reports.report import build_report
    from recoverylog.services.instruments import load_instruments

    report = build_report(store, period, period.end)
    health = health_report(store, period.start, period.end)
    instruments = load_instruments()
    data: dict[str, Any] = {
        "include_notes": request.include_notes,
        "assessments": health.assessments_json(),
        "assessments_taken": [
            {"id": p.id, "instrument": key, "name": instruments[key].name, "date": p.date.isoformat(),
             "total": p.total, "band": p.band, "range": [instruments[key].min, instruments[key].max],
             "item9_positive": p.item9_positive}
            for p, key in ((p, p.instrument) for p in health.taken)],
        "medications": health.medications_json(),
        "checkins": {"days": report.checkins.days, "share": round(report.checkins.share, 4)},
        "measures": {s.name: {"days": s.days, "mean": _r(s.mean), "min": _r(s.min), "max": _r(s.max),
                              "trend_per_week": _r(s.trend_per_week), "trend_reason": s.trend_reason}
                     for s in report.scales if s.name in ("mood", "sleep", "stress", "craving")},
        "substances": [{"name": s.name, "unit": s.unit, "goal": s.goal, "recorded_days": s.recorded_days,
                        "use_days": s.use_days, "days_without_use": s.sober_days,
                        "unrecorded_days": s.unrecorded_days, "coverage": round(s.coverage, 4),
                        "total_amount": _r(s.total_amount), "amount_per_use_day": _r(s.amount_per_use_day)}
                       | ({"reduce": reduce_json(s.reduce)} if s.reduce is not None else {})
                       for s in report.substances],
        "meetings": {"count": report.meetings.count, "verified": report.meetings.verified,
                     "per_week": [{"week_start": d.isoformat(), "count": n} for d, n in report.meetings.per_week]},
    }
    if request.include_notes:
        data["notes"] = _notes(store, period)
    return data


def _notes(store, period) -> list[dict[str, Any]]:
    from recoverylog.storage import checkins as checkin_rows

    out = []
    for row in checkin_rows.list_range(store, period.start, period.end):
        if row.get("note") or row.get("gratitude"):
            out.append({"date": row["date"], "note": row.get("note"), "gratitude": row.get("gratitude")})
    return out


def build_envelope(store, request: ExportRequest) -> dict[str, Any]:
    from recoverylog.exports.envelope import make_envelope, period_dict
    from recoverylog.exports.sponsor import NAME_CHARS, _clean_line
    from recoverylog.reports.period import resolve_period

    period = resolve_period(request.as_of, week=request.week, month=request.month, since=request.since,
                            until=request.until, default_days=28)
    if period.days > 3700:
        raise InputError("A summary covers at most ten years; choose a shorter period.")
    name = _clean_line("--name", request.name, NAME_CHARS)
    generated_at, _ = store.stamp()
    return make_envelope(profile="care", generated_at=generated_at, period=period_dict(period.start, period.end),
                         name=name, data=build_data(store, request, period))


def build(store, request: ExportRequest) -> ExportDocument:
    from recoverylog.exports.envelope import dumps
    from recoverylog.services.keys import sign_if_key

    fmt = request.format or "markdown"
    if fmt not in FORMATS:
        raise InputError(f"The care summary comes as markdown, html or json, not {fmt}.")
    # Signed like the sponsor and court profiles when the person has a key (docs/definitions.md §8).
    doc, fingerprint = sign_if_key(store.path, build_envelope(store, request))
    if fmt == "json":
        content = dumps(doc)
    elif fmt == "markdown":
        from recoverylog.render.care import render_markdown

        content = render_markdown(doc, fingerprint)
    else:
        from recoverylog.render.care import render_html

        content = render_html(doc, fingerprint)
    period = doc["period"]
    return ExportDocument(profile="care", format=fmt, content=content,
                          period_start=date.fromisoformat(period["start"]),
                          period_end=date.fromisoformat(period["end"]), digest=doc["digest"],
                          extra={"fingerprint": fingerprint})
