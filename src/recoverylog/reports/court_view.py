"""A court sheet read back from its JSON envelope, for `review` (a clerk's or a sponsor's reading).

The file is untrusted: every value is type-checked and bounded the way reports/summary_view.py
does, and the result is the exporter's own `CourtSheet`, so the same renderers draw it."""

from __future__ import annotations

from typing import Any

from recoverylog.reports.summary_view import _bool, _date, _dict, _int, _list, _text

MAX_ROWS = 5000


def _row(v: Any):
    from recoverylog.exports.court import CourtRow

    d = _dict(v)
    day, name = _date(d.get("date")), _text(d.get("name"))
    if day is None or not name:
        return None
    minutes = _int(d.get("minutes"))
    return CourtRow(date=day, time=_text(d.get("time"), 8), minutes=minutes if minutes and minutes > 0 else None,
                    name=name, fellowship=_text(d.get("fellowship"), 40), format=_text(d.get("format"), 20),
                    place=_text(d.get("place")), group_number=_text(d.get("group_number"), 40),
                    verification=_text(d.get("verification"), 20) or "none",
                    verified_by=_text(d.get("verified_by"), 40), ref=_text(d.get("ref"), 60))


def _period(v: Any):
    from recoverylog.reports.meetings import PeriodTotal

    d = _dict(v)
    start, end = _date(d.get("start")), _date(d.get("end"))
    counted, required = _int(d.get("counted")), _int(d.get("required"))
    if start is None or end is None or start > end or counted is None or required is None:
        return None
    counted, required = max(0, counted), max(0, required)
    return PeriodTotal(start=start, end=end, name=_text(d.get("name"), 40) or f"{start.isoformat()} to {end.isoformat()}",
                       counted=counted, required=required, deficit=max(0, required - counted),
                       met=counted >= required, partial=_bool(d.get("partial")), current=_bool(d.get("current")),
                       days_left=max(0, _int(d.get("days_left")) or 0))


def _requirement(v: Any):
    from recoverylog.exports.court import CourtRequirement

    d = _dict(v)
    label = _text(d.get("label"), 60)
    if not label:
        return None
    periods = tuple(p for p in (_period(x) for x in _list(d.get("periods"), 600)) if p)
    return CourtRequirement(label=label, rule=_text(d.get("rule"), 300) or "", periods=periods)


def court_view(doc: dict[str, Any], fingerprint: str | None = None):
    """The `CourtSheet` in an envelope (already checked to be a version-1 court export), or None
    when it states no period and shows no meeting. Counts are recomputed from the rows the file
    shows, never taken from its claims."""
    from recoverylog.exports.court import CourtSheet

    data = _dict(doc.get("data"))
    period = _dict(doc.get("period"))
    start, end = _date(period.get("start")), _date(period.get("end"))
    rows = tuple(r for r in (_row(x) for x in _list(data.get("rows"), MAX_ROWS)) if r)
    if start is None or end is None or start > end:
        days = [r.date for r in rows]
        if not days:
            return None
        start, end = min(days), max(days)
    rows = tuple(r for r in rows if start <= r.date <= end)
    requirements = tuple(r for r in (_requirement(x) for x in _list(data.get("requirements"), 50)) if r)
    return CourtSheet(period_start=start, period_end=end, generated_at=_text(doc.get("generated_at"), 40) or "",
                      name=_text(_dict(doc.get("person")).get("name")), rows=rows, requirements=requirements,
                      meetings=len(rows), verified=sum(r.verification != "none" for r in rows),
                      meeting_days=len({r.date for r in rows}), digest=_text(doc.get("digest"), 80) or "",
                      fingerprint=fingerprint)
