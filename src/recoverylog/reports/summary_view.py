"""A sponsor summary as every renderer sees it, read from its JSON envelope.

The exporter builds the envelope's `data` once; markdown, HTML and CSV are rendered from this
view of it, and `review` renders files someone else wrote through the same view. So the view is
built defensively: every value is type-checked, numbers bounded, text stripped of control
characters and shortened, lists capped. Anything odd becomes "not recorded", never an error."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from datetime import date
from typing import Any

from recoverylog.records import record
from recoverylog.textcheck import display

NAME_CHARS = 120
TEXT_CHARS = 20_000
MAX_DAYS = 3700          # ten years of daily rows
MAX_ITEMS = 2000


# -- defensive readers ------------------------------------------------------------------

def _int(v: Any) -> int | None:
    if type(v) is int:   # the common case, answered as below
        return v if -10**9 < v < 10**9 else None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    if isinstance(v, float) and (not math.isfinite(v) or not v.is_integer()):
        return None
    return int(v) if abs(v) < 10**9 else None


def _num(v: Any) -> float | None:
    if type(v) is int or type(v) is float:   # the common cases, answered as below (NaN compares false)
        return v if -10**9 < v < 10**9 else None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v if abs(v) < 10**9 else None


def _text(v: Any, limit: int = NAME_CHARS, one_line: bool = True) -> str | None:
    if not isinstance(v, str):
        return None
    if v.isascii() and v.isprintable() and len(v) <= limit and \
            (not one_line or not v or (v[0] != " " and v[-1] != " " and "  " not in v)):
        # Printable ASCII holds nothing the display rule removes, and its only whitespace is the
        # space: such text, single-spaced and short, is shown as it is (the common case; a test
        # compares this with the full rule below).
        return v
    # The one display rule (docs/definitions.md §12): control characters and whole escape
    # sequences removed, bidirectional overrides neutralised, lone surrogates replaced.
    text = display(v)
    if one_line:
        text = " ".join(text.split())
    return text[:limit] + ("…" if len(text) > limit else "")


def _bool(v: Any) -> bool:
    return v is True


def _date(v: Any) -> date | None:
    if not isinstance(v, str) or len(v) != 10:
        return None
    try:
        return date.fromisoformat(v)
    except ValueError:
        return None


def _list(v: Any, limit: int = MAX_ITEMS) -> list:
    return v[:limit] if isinstance(v, list) else []


def _dict(v: Any) -> dict:
    return v if isinstance(v, dict) else {}


def _words(v: Any, limit: int = 20) -> tuple[str, ...]:
    return tuple(t for t in (_text(x, 40) for x in _list(v, limit)) if t)


# -- the view ---------------------------------------------------------------------------

@record
class Measure:
    days: int
    mean: float | None
    min: float | None
    max: float | None
    trend_per_week: float | None
    trend_reason: str | None = None


@record
class UseMark:
    substance: str
    used: bool
    amount: float | None


@record
class DayRow:
    date: date
    checkin: bool
    mood: float | None
    craving: float | None
    stress: float | None
    sleep: float | None
    halt: tuple[str, ...]
    uses: tuple[UseMark, ...]
    meetings: int
    unrecorded: tuple[str, ...] = ()
    backfilled: bool = False
    note: str | None = None
    gratitude: str | None = None
    tags: tuple[str, ...] = ()


@record
class OverviewDay:
    """What the overview reads of a day (reports/review.overview_row), in an overview-only view."""
    date: date
    checkin: bool
    mood: float | None
    craving: float | None
    uses: tuple[UseMark, ...]


@record
class OverviewSubstance:
    """What the overview reads of a substance line, in an overview-only view."""
    name: str
    goal: str
    max_per_day: float | None
    max_days: int | None
    max_days_per: str | None
    continuous_days: int | None
    recorded_since_last_use: int | None


@record
class SubstanceLine:
    name: str
    unit: str
    goal: str
    max_per_day: float | None
    max_days: int | None
    max_days_per: str | None
    continuous_days: int | None
    sobriety_date: date | None
    longest_days: int | None
    sober_days: int | None
    recorded_days_total: int | None
    recorded_days: int | None
    use_days: int | None
    unrecorded_days: int | None
    coverage: float | None
    pda: float | None
    total_amount: float | None
    amount_per_use_day: float | None
    heavy_days: int | None
    within_goal_days: int | None = None     # reduce goals: recorded days within the daily limit
    recorded_since_last_use: int | None = None   # of continuous_days, how many were recorded
    reduce: ReduceLine | None = None


@record
class ReduceLine:
    """A reduce goal's figures as the file states them (docs/definitions.md §4)."""
    per: str
    use_days: int
    days_within_limit: int | None
    days_amount_unknown: int
    periods_within_goal: int
    periods_over_goal: int
    periods_incomplete: int
    amount_this_period: float | None
    average_amount_previous_4: float | None
    streak_days: int


@record
class MeetingLine:
    date: date
    time: str | None
    minutes: int | None
    name: str
    fellowship: str | None
    format: str | None
    role: str | None
    verified: bool
    note: str | None = None


@record
class RequirementPeriodLine:
    start: date
    end: date
    counted: int
    required: int
    deficit: int
    met: bool
    complete: bool


@record
class RequirementLine:
    label: str
    count: int | None
    per: str | None
    verified_only: bool
    periods: tuple[RequirementPeriodLine, ...]


@record
class GoalLine:
    title: str
    metric: str | None
    target: float | None
    per: str | None
    value: float | None
    progress: float | None
    state: str | None


@record
class MilestoneLine:
    substance: str
    label: str
    date: date


@record
class StepLine:
    program: str
    step: int | None
    status: str | None
    date: date | None


@record
class StepProgressLine:
    program: str
    current: int | None
    current_status: str | None
    current_since: date | None
    done: int
    of: int

    @property
    def text(self) -> str:
        if self.current is None:
            return f"{self.program}: {self.done} of {self.of} steps done" + (" (all)" if self.done >= self.of else "")
        if self.current_status == "in-progress":
            where = f"working on step {self.current}" + (f" (since {self.current_since.isoformat()})"
                                                        if self.current_since else "")
        else:
            where = f"next step {self.current}"
        return f"{self.program}: {where}; {self.done} of {self.of} steps done"


@record
class PreviousSubstance:
    name: str
    use_days: int | None
    recorded_days: int | None


@record
class PreviousPeriod:
    """The period of equal length just before the summary's (docs/definitions.md §8)."""
    start: date
    end: date
    days: int
    checkin_days: int | None
    craving_mean: float | None
    meetings: int | None
    substances: tuple[PreviousSubstance, ...]


@record
class AnsweredLine:
    """An earlier summary the person received a reply to (which one, never what it said)."""
    period_start: date | None
    period_end: date | None
    digest: str | None
    received_on: date | None


@record
class AssessmentLine:
    """One instrument's latest score in a summary given with --include-health."""
    instrument: str
    name: str
    total: int
    max: int
    date: dt.date
    band: str | None
    change: int | None
    previous_date: dt.date | None


@record
class SummaryView:
    profile: str
    generated_at: str | None
    name: str | None
    period_start: date | None
    period_end: date | None
    period_days: int
    digest: str | None
    verified: bool
    message: str | None
    include_notes: bool
    checkin_days: int
    checkin_share: float | None
    streak: int | None
    longest_streak: int | None
    backfilled_days: int | None
    measures: dict[str, Measure]
    high_craving_days: int
    halt: tuple[tuple[str, int], ...]
    substances: tuple[SubstanceLine | OverviewSubstance, ...]
    days: tuple[DayRow | OverviewDay, ...]
    meetings_count: int
    meetings: tuple[MeetingLine, ...]
    meetings_per_week: tuple[tuple[date, int], ...]
    requirements: tuple[RequirementLine, ...]
    goals: tuple[GoalLine, ...]
    milestones: tuple[MilestoneLine, ...]
    outreach_count: int | None
    outreach_by_how: tuple[tuple[str, int], ...]
    steps: tuple[StepLine, ...]
    step_progress: StepProgressLine | None = None
    fingerprint: str | None = None          # the signing key's, only once the signature is checked
    previous: PreviousPeriod | None = None
    answered: tuple[AnsweredLine, ...] = ()
    warnings: tuple[tuple[str, str], ...] = ()  # (detail, next step), only when exported with them
    include_health: bool = False
    assessments: tuple[AssessmentLine, ...] = ()
    medications: tuple = ()        # tuple[reports.health.Adherence, ...]


def _assessment_line(v: Any) -> AssessmentLine | None:
    d = _dict(v)
    latest, previous = _dict(d.get("latest")), _dict(d.get("previous"))
    name, total, day = _text(d.get("name"), 20), _int(latest.get("total")), _date(latest.get("date"))
    span = _list(d.get("range"), 2)
    high = _int(span[1]) if len(span) == 2 else None
    if not name or total is None or day is None or high is None:
        return None
    return AssessmentLine(instrument=_text(d.get("instrument"), 10) or "", name=name, total=total, max=high,
                          date=day, band=_text(latest.get("band"), 60), change=_int(d.get("change")),
                          previous_date=_date(previous.get("date")))


def _medication_line(v: Any):
    from recoverylog.reports.health import Adherence

    d = _dict(v)
    try:
        a = Adherence.from_json(d)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    counts = (a.scheduled, a.recorded, a.taken, a.missed, a.recorded_days, a.taken_days, a.doses_taken)
    if not all(_int(c) is not None and c >= 0 for c in counts) or a.taken > a.recorded:
        return None
    name = _text(a.name)
    if a.unit not in (None, "day", "dose", "week") or not name:
        return None
    from dataclasses import replace

    return replace(a, name=name, dose=_text(a.dose, 80), kind=_text(a.kind, 20) or "other",
                   schedule=_text(a.schedule, 20) or "daily")


HIGH_CRAVING = 7
MEASURES = ("mood", "craving", "stress", "sleep")
HALT_WORDS = ("hungry", "angry", "lonely", "tired")


def _measure(v: Any) -> Measure:
    d = _dict(v)
    return Measure(days=_int(d.get("days")) or 0, mean=_num(d.get("mean")), min=_num(d.get("min")),
                   max=_num(d.get("max")), trend_per_week=_num(d.get("trend_per_week")),
                   trend_reason=_text(d.get("trend_reason"), 200))


def _reduce(v: Any) -> ReduceLine | None:
    d = _dict(v)
    per = _text(d.get("per"), 10)
    if per not in ("week", "month"):
        return None
    return ReduceLine(per=per, use_days=max(0, _int(d.get("use_days")) or 0),
                      days_within_limit=_int(d.get("days_within_limit")),
                      days_amount_unknown=max(0, _int(d.get("days_amount_unknown")) or 0),
                      periods_within_goal=max(0, _int(d.get("periods_within_goal")) or 0),
                      periods_over_goal=max(0, _int(d.get("periods_over_goal")) or 0),
                      periods_incomplete=max(0, _int(d.get("periods_incomplete")) or 0),
                      amount_this_period=_num(d.get("amount_this_period")),
                      average_amount_previous_4=_num(d.get("average_amount_previous_4")),
                      streak_days=max(0, _int(d.get("streak_days")) or 0))


def _day(v: Any, include_notes: bool) -> DayRow | None:
    d = _dict(v)
    day = _date(d.get("date"))
    if day is None:
        return None
    uses = []
    for u in _list(d.get("uses"), 50):
        u = _dict(u)
        name = _text(u.get("substance"))
        if name:
            uses.append(UseMark(name, _bool(u.get("used")), _num(u.get("amount"))))
    return DayRow(
        date=day, checkin=_bool(d.get("checkin")), mood=_num(d.get("mood")), craving=_num(d.get("craving")),
        stress=_num(d.get("stress")), sleep=_num(d.get("sleep")),
        halt=tuple(w for w in _words(d.get("halt"), 4) if w in HALT_WORDS), uses=tuple(uses),
        meetings=max(0, _int(d.get("meetings")) or 0),
        unrecorded=tuple(t for t in (_text(x) for x in _list(d.get("unrecorded"), 50)) if t),
        backfilled=_bool(d.get("backfilled")),
        note=_text(d.get("note"), TEXT_CHARS, one_line=False) if include_notes else None,
        gratitude=_text(d.get("gratitude"), TEXT_CHARS, one_line=False) if include_notes else None,
        tags=_words(d.get("tags")) if include_notes else (),
    )


def _substance(v: Any, overview_only: bool = False) -> SubstanceLine | OverviewSubstance | None:
    d = _dict(v)
    name = _text(d.get("name"))
    if not name:
        return None
    if overview_only:   # what the overview reads of a substance (summary_view)
        return OverviewSubstance(
            name, _text(d.get("goal"), 20) or "monitor", _num(d.get("max_per_day")), _int(d.get("max_days")),
            _text(d.get("max_days_per"), 10), _int(d.get("continuous_days")),
            _int(d.get("recorded_since_last_use")))
    p = _dict(d.get("period"))
    return SubstanceLine(
        name=name, unit=_text(d.get("unit"), 20) or "none", goal=_text(d.get("goal"), 20) or "monitor",
        max_per_day=_num(d.get("max_per_day")), max_days=_int(d.get("max_days")),
        max_days_per=_text(d.get("max_days_per"), 10), continuous_days=_int(d.get("continuous_days")),
        sobriety_date=_date(d.get("sobriety_date")), longest_days=_int(d.get("longest_days")),
        sober_days=_int(d.get("sober_days")), recorded_days_total=_int(d.get("recorded_days_total")),
        recorded_days=_int(p.get("recorded_days")), use_days=_int(p.get("use_days")),
        unrecorded_days=_int(p.get("unrecorded_days")), coverage=_num(p.get("coverage")), pda=_num(p.get("pda")),
        total_amount=_num(p.get("total_amount")), amount_per_use_day=_num(p.get("amount_per_use_day")),
        heavy_days=_int(p.get("heavy_days")), within_goal_days=_int(p.get("within_goal_days")),
        recorded_since_last_use=_int(d.get("recorded_since_last_use")),
        reduce=_reduce(d.get("reduce")) if d.get("reduce") is not None else None,
    )


def _meeting(v: Any, include_notes: bool) -> MeetingLine | None:
    d = _dict(v)
    day = _date(d.get("date"))
    if day is None:
        return None
    return MeetingLine(date=day, time=_text(d.get("time"), 8), minutes=_int(d.get("minutes")),
                       name=_text(d.get("name")) or "(no name)", fellowship=_text(d.get("fellowship"), 30),
                       format=_text(d.get("format"), 20), role=_text(d.get("role"), 20),
                       verified=_bool(d.get("verified")),
                       note=_text(d.get("note"), TEXT_CHARS, one_line=False) if include_notes else None)


def _requirement(v: Any) -> RequirementLine | None:
    d = _dict(v)
    label = _text(d.get("label"))
    if not label:
        return None
    periods = []
    for p in _list(d.get("periods"), 500):
        p = _dict(p)
        start, end = _date(p.get("start")), _date(p.get("end"))
        counted, required = _int(p.get("counted")), _int(p.get("required"))
        if start is None or end is None or counted is None or required is None:
            continue
        deficit = max(0, required - counted)
        periods.append(RequirementPeriodLine(start, end, counted, required, deficit, deficit == 0,
                                             _bool(p.get("complete"))))
    return RequirementLine(label=label, count=_int(d.get("count")), per=_text(d.get("per"), 10),
                           verified_only=_bool(d.get("verified_only")), periods=tuple(periods))


def _previous(v: Any) -> PreviousPeriod | None:
    d = _dict(v)
    start, end = _date(d.get("start")), _date(d.get("end"))
    if start is None or end is None or start > end:
        return None
    subs = []
    for x in _list(d.get("substances"), 100):
        x = _dict(x)
        name = _text(x.get("name"))
        if name:
            subs.append(PreviousSubstance(name, _int(x.get("use_days")), _int(x.get("recorded_days"))))
    return PreviousPeriod(start=start, end=end, days=(end - start).days + 1,
                          checkin_days=_int(d.get("checkin_days")), craving_mean=_num(d.get("craving_mean")),
                          meetings=_int(d.get("meetings")), substances=tuple(subs))


def _answered(v: Any) -> tuple[AnsweredLine, ...]:
    out = []
    for x in _list(v, 200):
        x = _dict(x)
        period = _dict(x.get("period"))
        line = AnsweredLine(_date(period.get("start")), _date(period.get("end")), _text(x.get("digest"), 80),
                            _date(x.get("received_on")))
        if line.period_start or line.digest:
            out.append(line)
    return tuple(out)


def summary_view(doc: dict[str, Any], verified: bool, fingerprint: str | None = None,
                 overview_only: bool = False) -> SummaryView:
    """The view of an envelope (already checked to be a version-1 recoverylog export).
    `fingerprint` is the signing key's, given only by a caller that checked the signature.

    `overview_only`: only what reports/review.overview_row reads is filled in, each part by the
    same rule as in the full view (period, name, message, check-in figures, the mood and craving
    measures, each day's date, check-in, mood, craving and uses, each substance's name, goal,
    limits and continuous days, requirements, meeting count, previous period, digest check);
    everything else is left empty. Such a view is for that one function, never rendered (a test
    shows the overview rows of the two views are equal)."""
    if overview_only:
        return _overview_view(doc, verified, fingerprint)
    data = _dict(doc.get("data"))
    start, end, period_days = _period(doc)
    include_notes = _bool(data.get("include_notes"))
    checkins = _dict(data.get("checkins"))
    days = [r for r in (_day(x, include_notes) for x in _list(data.get("days"), MAX_DAYS)) if r]
    if start and end:
        days = [r for r in days if start <= r.date <= end]
    measures = _dict(data.get("measures"))
    halt = _dict(data.get("halt"))
    meetings = _dict(data.get("meetings"))
    outreach = _dict(data.get("outreach"))
    per_week = []
    for w in _list(meetings.get("per_week"), 600):
        w = _dict(w)
        week, count = _date(w.get("week_start")), _int(w.get("count"))
        if week and count is not None:
            per_week.append((week, max(0, count)))
    goals = []
    for g in _list(data.get("goals"), 200):
        g = _dict(g)
        title = _text(g.get("title"))
        if title:
            goals.append(GoalLine(title, _text(g.get("metric"), 30), _num(g.get("target")), _text(g.get("per"), 10),
                                  _num(g.get("value")), _num(g.get("progress")), _text(g.get("state"), 20)))
    milestones = []
    for m in _list(data.get("milestones"), 200):
        m = _dict(m)
        sub, label, day = _text(m.get("substance")), _text(m.get("label"), 30), _date(m.get("date"))
        if sub and label and day:
            milestones.append(MilestoneLine(sub, label, day))
    steps = []
    for s in _list(data.get("steps"), 200):
        s = _dict(s)
        program = _text(s.get("program"), 40)
        if program:
            steps.append(StepLine(program, _int(s.get("step")), _text(s.get("status"), 20), _date(s.get("date"))))
    progress = _dict(data.get("step_progress"))
    step_progress = None
    program_name, done = _text(progress.get("program"), 40), _int(progress.get("done"))
    if program_name and done is not None:
        current = _int(progress.get("current"))
        step_progress = StepProgressLine(
            program=program_name, current=current if current and 1 <= current <= 12 else None,
            current_status=_text(progress.get("current_status"), 20), current_since=_date(progress.get("current_since")),
            done=max(0, min(12, done)), of=12)
    checkin_days, share, high = _checkin_figures(data, checkins, (r.checkin for r in days),
                                                 (r.craving for r in days), period_days)
    return SummaryView(
        profile=_text(doc.get("profile"), 20) or "?",
        generated_at=_text(doc.get("generated_at"), 40),
        name=_text(_dict(doc.get("person")).get("name")),
        period_start=start, period_end=end, period_days=period_days,
        digest=_text(doc.get("digest"), 80), verified=verified,
        message=_text(data.get("message"), 1000),
        include_notes=include_notes,
        checkin_days=max(0, checkin_days), checkin_share=share,
        streak=_int(checkins.get("streak")), longest_streak=_int(checkins.get("longest_streak")),
        backfilled_days=_int(checkins.get("backfilled_days")),
        measures={m: _measure(measures.get(m)) for m in MEASURES},
        high_craving_days=max(0, high),
        halt=tuple((w, max(0, _int(halt.get(w)) or 0)) for w in HALT_WORDS),
        substances=tuple(s for s in (_substance(x) for x in _list(data.get("substances"), 100)) if s),
        days=tuple(days),
        meetings_count=max(0, _int(meetings.get("count")) or 0),
        meetings=tuple(m for m in (_meeting(x, include_notes) for x in _list(meetings.get("items"))) if m),
        meetings_per_week=tuple(per_week),
        requirements=tuple(r for r in (_requirement(x) for x in _list(meetings.get("requirements"), 50)) if r),
        goals=tuple(goals),
        milestones=tuple(milestones),
        outreach_count=_int(outreach.get("count")),
        outreach_by_how=tuple((k2, n) for k, v in list(_dict(outreach.get("by_how") or outreach.get("by_role")).items())[:20]
                              if (k2 := _text(k, 20)) and (n := _int(v)) is not None),
        steps=tuple(steps),
        step_progress=step_progress,
        fingerprint=fingerprint,
        previous=_previous(data.get("previous_period")),
        answered=_answered(data.get("answered_summaries")),
        warnings=tuple((detail, _text(_dict(w).get("next_step"), 400) or "")
                       for w in _list(data.get("warnings"), 10)
                       if (detail := _text(_dict(w).get("detail"), 400))),
        include_health=_bool(data.get("include_health")),
        assessments=tuple(a for a in (_assessment_line(x) for x in _list(data.get("assessments"), 20)) if a)
        if _bool(data.get("include_health")) else (),
        medications=tuple(m for m in (_medication_line(x) for x in _list(data.get("medications"), 50)) if m)
        if _bool(data.get("include_health")) else (),
    )


def _checkin_figures(data: dict[str, Any], checkins: dict[str, Any], flags: Iterable[bool],
                     cravings: Iterable[float | None], period_days: int) -> tuple[int, float | None, int]:
    """Check-in days, their share of the period and high-craving days: as the summary states
    them, else counted from its days' check-in flags and cravings (the full view and the
    overview read them alike; each iterable is read only when the summary does not say)."""
    checkin_days = _int(checkins.get("days"))
    if checkin_days is None:
        checkin_days = sum(1 for c in flags if c)
    share = _num(checkins.get("share"))
    if share is None and period_days:
        share = checkin_days / period_days
    high = _int(data.get("high_craving_days"))
    if high is None:
        high = sum(1 for c in cravings if c is not None and c >= HIGH_CRAVING)
    return checkin_days, share, high


def _period(doc: dict[str, Any]) -> tuple[date | None, date | None, int]:
    period = _dict(doc.get("period"))
    start, end = _date(period.get("start")), _date(period.get("end"))
    if start is not None and end is not None and start > end:
        start = end = None
    return start, end, (end - start).days + 1 if start and end else 0


# A day as the overview reads it: (date, checkin, mood, craving, uses), each use (substance, used, amount).
OverviewDayParts = tuple[date, bool, "float | None", "float | None", tuple[tuple[str, bool, "float | None"], ...]]


def overview_days(value: Any, start: date | None, end: date | None) -> list[OverviewDayParts]:
    """The days of a summary's "data"."days" as the overview reads them: each by the full view's
    rule for those fields (`_day`), as plain tuples, kept between `start` and `end` when both
    are known (a test compares them with the full view's day rows)."""
    days = []
    for d in _list(value, MAX_DAYS):
        if not isinstance(d, dict):
            continue   # _dict: no date, no day
        day = _date(d.get("date"))
        if day is None or (start and end and not start <= day <= end):
            continue
        uses = []
        marks = d.get("uses")
        if isinstance(marks, list):
            for u in marks[:50]:
                if isinstance(u, dict):   # _dict of anything else: no substance, no use
                    name = _text(u.get("substance"))
                    if name:
                        uses.append((name, u.get("used") is True, _num(u.get("amount"))))
        days.append((day, d.get("checkin") is True, _num(d.get("mood")), _num(d.get("craving")), tuple(uses)))
    return days


@record
class OverviewStated:
    """What an overview row reads of a summary besides its days (`overview_parts`): the
    SummaryView fields of those names, each by the same rule (a view has 37 fields, and making
    one costs more than a row's figures)."""
    name: str | None
    period_start: date | None
    period_end: date | None
    period_days: int
    verified: bool
    message: str | None
    checkin_days: int
    checkin_share: float | None
    measures: dict[str, Measure]
    high_craving_days: int
    substances: tuple[SubstanceLine | OverviewSubstance, ...]
    meetings_count: int
    requirements: tuple[RequirementLine, ...]
    previous: PreviousPeriod | None


def overview_parts(doc: dict[str, Any], verified: bool) -> tuple[OverviewStated, list[OverviewDayParts]]:
    """summary_view(..., overview_only=True) in two parts, for a caller that reads the days from
    tuples (reports/review.summary_row) instead of a record for each: what the summary states
    that the overview reads, and its days as `overview_days` reads them."""
    data = _dict(doc.get("data"))
    start, end, period_days = _period(doc)
    checkins = _dict(data.get("checkins"))
    days = overview_days(data.get("days"), start, end)
    measures = _dict(data.get("measures"))
    meetings = _dict(data.get("meetings"))
    checkin_days, share, high = _checkin_figures(data, checkins, (d[1] for d in days), (d[3] for d in days),
                                                 period_days)
    stated = OverviewStated(
        _text(_dict(doc.get("person")).get("name")), start, end, period_days, verified,
        _text(data.get("message"), 1000), max(0, checkin_days), share,
        {m: _measure(measures.get(m)) for m in ("mood", "craving")}, max(0, high),
        tuple(s for s in (_substance(x, True) for x in _list(data.get("substances"), 100)) if s),
        max(0, _int(meetings.get("count")) or 0),
        tuple(r for r in (_requirement(x) for x in _list(meetings.get("requirements"), 50)) if r),
        _previous(data.get("previous_period")))
    return stated, days


def _overview_view(doc: dict[str, Any], verified: bool, fingerprint: str | None) -> SummaryView:
    """summary_view(..., overview_only=True): each part read as summary_view reads it."""
    s, days = overview_parts(doc, verified)
    return SummaryView(
        profile="?", generated_at=None, name=s.name, period_start=s.period_start, period_end=s.period_end,
        period_days=s.period_days, digest=None, verified=verified, message=s.message, include_notes=False,
        checkin_days=s.checkin_days, checkin_share=s.checkin_share, streak=None, longest_streak=None,
        backfilled_days=None, measures=s.measures, high_craving_days=s.high_craving_days, halt=(),
        substances=s.substances,
        days=tuple(OverviewDay(day, checkin, mood, craving, tuple(UseMark(*u) for u in uses))
                   for day, checkin, mood, craving, uses in days),
        meetings_count=s.meetings_count, meetings=(), meetings_per_week=(), requirements=s.requirements,
        goals=(), milestones=(), outreach_count=None, outreach_by_how=(), steps=(), fingerprint=fingerprint,
        previous=s.previous,
    )


def substance_day_state(row: "DayRow | None", substance: "SubstanceLine") -> str:
    """One substance's state on one day, by the day-state engine's rule (docs/definitions.md §2):
    sober, within (a reduce goal's daily limit kept), unknown (a use with no amount under a daily
    limit: neither within nor over), used, or unrecorded (never shown as sober)."""
    from recoverylog.reports import daystate as ds

    if row is None or substance.name in row.unrecorded:
        return "unrecorded"
    mark = next((u for u in row.uses if u.substance == substance.name), None)
    if mark is None:
        return "unrecorded"
    state = ds.classify(ds.UseDay(mark.used, mark.amount),
                        ds.Limits(substance.goal, substance.max_per_day, substance.max_days, substance.max_days_per))
    return {ds.NO_USE: "sober", ds.WITHIN_LIMIT: "within", ds.AMOUNT_NOT_RECORDED: "unknown"}.get(state, "used")
