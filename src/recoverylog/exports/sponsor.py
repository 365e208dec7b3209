"""The `sponsor` profile (the default): a summary of a period to send to a sponsor or peer coach.

The period report plus meetings and requirement periods, goals, milestones reached in
the period, outreach counts and step progress. Notes, gratitude and tags only with
--include-notes; self-assessments and medication only with --include-health; contact names and phone numbers never. The envelope's `data` is built once; every
format (json, markdown, html, csv) is rendered from it, through the same view `review` uses."""

from __future__ import annotations

from datetime import date
from typing import Any

from recoverylog.errors import InputError
from recoverylog.exports import ExportDocument, ExportRequest

MESSAGE_CHARS = 500
NAME_CHARS = 80


def _r(value: float | None, digits: int = 2) -> float | int | None:
    if value is None:
        return None
    value = round(float(value), digits)
    return int(value) if value.is_integer() else value


def _clean_line(label: str, text: str | None, limit: int) -> str | None:
    from recoverylog.render.console import strip_control

    if text is None:
        return None
    text = " ".join(strip_control(text).split())
    if len(text) > limit:
        raise InputError(f"{label} is {len(text)} characters; keep it to {limit}.")
    return text or None


def build_data(store, request: ExportRequest, period, report=None) -> dict[str, Any]:
    """The summary's data, from the period report's dataclasses (built here unless given)."""
    from recoverylog.reports.checkins import checkin_summary
    from recoverylog.reports.report import build_report

    report = report if report is not None else build_report(store, period, period.end)
    message = _clean_line("--message", request.message, MESSAGE_CHARS)
    notes = _day_notes(store, period) if request.include_notes else {}
    summary = checkin_summary(store, period.end)
    data: dict[str, Any] = {
        "include_notes": request.include_notes,
        "message": message,
        "checkins": {"days": report.checkins.days, "share": round(report.checkins.share, 4),
                     "streak": summary.streak, "longest_streak": summary.longest_streak,
                     "longest_in_period": report.checkins.longest_streak,
                     "backfilled_days": report.checkins.backfilled},
        "measures": {s.name: {"days": s.days, "mean": _r(s.mean), "min": _r(s.min), "max": _r(s.max),
                              "trend_per_week": _r(s.trend_per_week), "trend_reason": s.trend_reason}
                     for s in report.scales},
        "high_craving_days": report.scale("craving").high_days or 0,
        "halt": dict(report.halt),
        "substances": _substances(report),
        "days": [_day(d, notes.get(d.date)) for d in report.days],
        "meetings": _meetings(store, report, period, request.include_notes),
        "goals": [{"title": g.title, "metric": g.metric, "target": _r(g.target), "per": g.per,
                   "value": _r(g.value), "progress": _r(g.progress, 1), "state": g.state,
                   "met": g.met, "on_track": g.on_track} for g in report.goals],
        "milestones": _milestones(report, period),
        "outreach": _outreach(store, report, period),
        "steps": _steps(store, period),
        "step_progress": _step_progress(store, period),
        "previous_period": _previous_period(store, period, report),
        "answered_summaries": _answered(store, period),
    }
    if request.include_warnings:
        from recoverylog.reports.warnings import early_warnings, warnings_json

        data["warnings"] = warnings_json(early_warnings(store, period.end, by_role=True))
    if request.include_health:
        # Self-assessments and medication only when asked for (--include-health).
        from recoverylog.reports.health import health_report

        health = health_report(store, period.start, period.end)
        data["include_health"] = True
        data["assessments"] = health.assessments_json()
        data["medications"] = health.medications_json()
    return data


def _previous_period(store, period, current) -> dict[str, Any]:
    """The period of equal length just before, from the same report function as the period itself
    (docs/definitions.md §8): check-in days, craving mean, meetings, use days per substance."""
    from datetime import timedelta

    from recoverylog.reports.period import Period
    from recoverylog.reports.report import build_report

    before = Period(period.start - timedelta(days=period.days), period.start - timedelta(days=1))
    report = build_report(store, before, before.end, histories=current.tracked)
    return {"start": before.start.isoformat(), "end": before.end.isoformat(), "days": before.days,
            "checkin_days": report.checkins.days, "craving_mean": _r(report.scale("craving").mean),
            "meetings": report.meetings.count,
            "substances": [{"name": s.name, "use_days": s.use_days, "recorded_days": s.recorded_days}
                           for s in report.substances]}


def _answered(store, period) -> list[dict[str, Any]]:
    """Earlier summaries that got a reply, received from the start of the previous period to the end
    of this one (which summaries only: a reply's words never leave the person's journal)."""
    from datetime import timedelta

    from recoverylog.storage.trust import answered_between

    since = period.start - timedelta(days=period.days)
    return [{"digest": r["summary_digest"], "period": {"start": r["summary_start"], "end": r["summary_end"]},
             "received_on": r["received_on"]}
            for r in answered_between(store, since.isoformat(), period.end.isoformat(), period.end.isoformat())]


def _day_notes(store, period) -> dict[date, dict[str, Any]]:
    from recoverylog.storage import checkins as checkin_rows

    out = {}
    for row in checkin_rows.list_range(store, period.start, period.end):
        out[date.fromisoformat(row["date"])] = {"note": row.get("note"), "gratitude": row.get("gratitude"),
                                                "tags": list(row.get("tags") or [])}
    return out


def _day(d, notes: dict[str, Any] | None) -> dict[str, Any]:
    uses, unrecorded = [], []
    for s in d.substances:
        if s.state in ("sober", "used", "within_goal"):
            uses.append({"substance": s.name, "used": s.state != "sober", "amount": _r(s.amount),
                         "within_goal": s.state == "within_goal" if s.state != "sober" else None,
                         "state": s.day_state})
        elif s.state == "unrecorded":
            unrecorded.append(s.name)
    out = {"date": d.date.isoformat(), "checkin": d.checked_in, "backfilled": d.backfilled,
           "mood": d.mood, "craving": d.craving, "stress": d.stress, "sleep": _r(d.sleep),
           "halt": list(d.halt), "uses": uses, "unrecorded": unrecorded, "meetings": d.meetings}
    if notes is not None:
        out.update(notes)
    return out


def _substances(report) -> list[dict[str, Any]]:
    """Each substance from the report's own dataclasses: the window's measures and, as of the
    period's end, the substance report it computed once (docs/definitions.md §3–§4)."""
    from recoverylog.reports import daystate as ds

    reports = {r.name: r for r in report.substance_reports}
    out = []
    for s in report.substances:
        full = reports.get(s.name)
        monitor = s.goal == "monitor"
        item: dict[str, Any] = {
            "name": s.name, "unit": s.unit, "goal": s.goal,
            "max_per_day": _r(s.max_per_day), "max_days": s.max_days, "max_days_per": s.max_days_per,
            "continuous_days": None if monitor else (full.days if full else s.days_at_end),
            "sobriety_date": (None if monitor else full.sobriety_date.isoformat()
                              if full and full.sobriety_date else None),
            "longest_days": full.longest_days if full and not monitor else None,
            "sober_days": full.sober_days if full else None,
            "recorded_days_total": full.recorded_days if full else None,
            # Days without use need a record: how many of the continuous days were recorded.
            "recorded_since_last_use": full.recorded_since_last_use if full and not monitor else None,
            "unrecorded_since_last_use": full.unrecorded_days if full and not monitor else None,
            "period": {"recorded_days": s.recorded_days, "use_days": s.use_days, "sober_days": s.sober_days,
                       "unrecorded_days": s.unrecorded_days, "coverage": round(s.coverage, 4),
                       "pda": _r(s.pda, 1), "total_amount": _r(s.total_amount),
                       "amount_per_use_day": _r(s.amount_per_use_day), "heavy_days": s.heavy_days,
                       "within_goal_days": s.within_goal_days},
        }
        if s.reduce is not None:
            item["reduce"] = ds.reduce_json(s.reduce)
        out.append(item)
    return out


def _meetings(store, report, period, include_notes: bool) -> dict[str, Any]:
    from recoverylog.storage import meetings as meeting_rows

    items = []
    for row in meeting_rows.list_range(store, period.start, period.end):
        item = {"date": row["date"], "time": row.get("time"), "minutes": row.get("minutes"),
                "name": row["name"], "fellowship": row.get("fellowship"), "format": row.get("format"),
                "role": row.get("role"), "verified": (row.get("verification") or "none") != "none"}
        if include_notes:
            item["note"] = row.get("note")
        items.append(item)
    return {"count": report.meetings.count, "verified": report.meetings.verified,
            "items": items,
            "per_week": [{"week_start": w.week_start.isoformat(), "count": w.count, "from": w.start.isoformat(),
                          "to": w.end.isoformat()} for w in report.meetings.weeks],
            "requirements": _requirements(store, period)}


def _requirements(store, period) -> list[dict[str, Any]]:
    try:
        from recoverylog.reports.meetings import requirements_touching
    except ImportError:  # pragma: no cover - meetings not installed
        return []
    out = []
    # Only the periods that can overlap the summary's dates are computed (and their meetings read).
    for req, req_periods in requirements_touching(store, period.start, period.end):
        periods = [{"start": p.start.isoformat(), "end": p.end.isoformat(), "counted": p.counted,
                    "required": p.required, "deficit": p.deficit, "met": p.met,
                    "complete": not p.current, "partial": p.partial, "days_left": p.days_left}
                   for p in req_periods if p.end >= period.start and p.start <= period.end]
        if periods:
            out.append({"label": req.label, "count": req.count, "per": req.per,
                        "verified_only": req.verified_only, "fellowships": list(req.fellowships),
                        "periods": periods})
    return out


def _milestones(report, period) -> list[dict[str, Any]]:
    """Milestones reached in the period: confirmed by a record (docs/definitions.md §3)."""
    out = []
    for r in report.substance_reports:
        if r.goal == "monitor" or not r.milestones_on:
            continue
        for m in r.milestones_reached:
            if period.start <= m.date <= period.end:
                out.append({"substance": r.name, "label": m.label, "date": m.date.isoformat()})
    return sorted(out, key=lambda m: (m["date"], m["substance"]))


def _outreach(store, report, period) -> dict[str, Any]:
    try:
        from recoverylog.reports.outreach import outreach_counts
    except ImportError:  # pragma: no cover
        return {"count": report.outreach.count, "by_role": dict(report.outreach.by_role), "by_how": {}}
    counts = outreach_counts(store, period.start, period.end)
    return {"count": counts.count, "by_role": dict(counts.by_role), "by_how": dict(counts.by_how),
            "days": counts.days}


def _steps(store, period) -> list[dict[str, Any]]:
    """Step-work events in the period (program, step, status, date); notes never."""
    try:
        from recoverylog.storage import steps as step_rows
    except ImportError:  # pragma: no cover
        return []
    out = []
    for program in step_rows.programs(store):
        for e in step_rows.events(store, program):
            if period.start.isoformat() <= e["date"] <= period.end.isoformat():
                out.append({"program": e["program"], "step": e["step"], "status": e["status"], "date": e["date"]})
    return sorted(out, key=lambda e: (e["date"], e["program"], e["step"]))


def _step_progress(store, period) -> dict[str, Any] | None:
    """Where the person is with their steps as of the period's end (notes never): the step being
    worked and since when, and how many are done. None when no step work is recorded."""
    try:
        from recoverylog.services.steps import LAST_STEP, current_of, step_states
        from recoverylog.storage import steps as step_rows
    except ImportError:  # pragma: no cover
        return None
    program = next(iter(step_rows.programs(store)), None)
    if program is None:
        return None
    events = [e for e in step_rows.events(store, program) if e["date"] <= period.end.isoformat()]
    if not events:
        return None
    states = step_states(events)
    current = current_of(states)
    state = states[current - 1] if current is not None else None
    return {"program": program, "current": current, "current_status": state.status if state else None,
            "current_since": state.started.isoformat() if state and state.started else None,
            "done": sum(1 for s in states if s.status == "done"), "of": LAST_STEP}


def report_view(store, report):
    """The person's own `report -f markdown`: the report read through the summary's view, so the
    report and the sponsor summary share one markdown renderer. Nothing leaves the machine, so the
    document has no digest and no name."""
    from recoverylog.exports.envelope import period_dict
    from recoverylog.reports.summary_view import summary_view

    request = ExportRequest(profile="sponsor", format="markdown", today=report.as_of, as_of=report.as_of)
    doc = {"profile": "sponsor", "period": period_dict(report.period.start, report.period.end),
           "data": build_data(store, request, report.period, report)}
    return summary_view(doc, verified=True)


def build_envelope(store, request: ExportRequest) -> dict[str, Any]:
    from recoverylog.exports.envelope import make_envelope, period_dict
    from recoverylog.reports.period import resolve_period

    period = resolve_period(request.as_of, week=request.week, month=request.month, since=request.since,
                            until=request.until, default_days=7)
    if period.days > 3700:
        raise InputError("A summary covers at most ten years; choose a shorter period.")
    name = _clean_line("--name", request.name, NAME_CHARS)
    data = build_data(store, request, period)
    generated_at, _ = store.stamp()
    return make_envelope(profile="sponsor", generated_at=generated_at, period=period_dict(period.start, period.end),
                         name=name, data=data)


def build(store, request: ExportRequest) -> ExportDocument:
    from recoverylog.exports.envelope import dumps
    from recoverylog.services.keys import sign_if_key

    fmt = request.format or "markdown"
    doc, fingerprint = sign_if_key(store.path, build_envelope(store, request))
    if fmt == "json":
        content = dumps(doc)
    else:
        from recoverylog.reports.summary_view import summary_view

        view = summary_view(doc, verified=True, fingerprint=fingerprint)
        if fmt == "markdown":
            from recoverylog.render.summary_md import render_markdown

            content = render_markdown(view)
        elif fmt == "html":
            from recoverylog.render.summary_html import render_html

            content = render_html(view)
        elif fmt == "csv":
            from recoverylog.render.summary_csv import render_csv

            content = render_csv(view)
        else:
            raise InputError(f"The sponsor summary comes as markdown, html, json or csv, not {fmt}.")
    period = doc["period"]
    return ExportDocument(profile="sponsor", format=fmt, content=content,
                          period_start=date.fromisoformat(period["start"]),
                          period_end=date.fromisoformat(period["end"]), digest=doc["digest"],
                          extra={"fingerprint": fingerprint})
