"""Meeting reports (docs/definitions.md §6): requirement periods, "90 in 90", and the status part.

The arithmetic is pure (dates in, frozen dataclasses out); the `*_report` / `meetings_status`
functions only read rows through storage and hand them to it.

Requirement periods:
- weeks run Monday to Sunday (ISO) or, per requirement, Sunday to Saturday; months are calendar months;
- the first and last periods are cut by the requirement's start and end; a cut period is *partial*
  and requires the count prorated to its days, rounded up (3 a week from a Thursday: ⌈3·4/7⌉ = 2);
- periods never overlap, so a meeting counts toward at most one of them;
- a verified-only requirement counts meetings whose verification is not `none`; a fellowship
  filter counts only meetings of those fellowships;
- the period containing `as_of` is *current*: `days_left` counts the days still open, today included.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from recoverylog.records import record
from recoverylog.reports.daystate import period_bounds

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
NINETY = 90


@record
class Attendance:
    """What the arithmetic needs to know about one meeting."""

    date: date
    verified: bool = False
    fellowship: str | None = None


@record
class Rule:
    """A requirement: `count` meetings per week or month from `start` to an optional `end`."""

    label: str
    count: int
    per: str                                  # "week" | "month"
    start: date
    end: date | None = None
    verified_only: bool = False
    fellowships: tuple[str, ...] = ()
    week_starts: str = "monday"               # "monday" (ISO) | "sunday"

    def counts(self, meeting: Attendance) -> bool:
        if self.verified_only and not meeting.verified:
            return False
        return not self.fellowships or meeting.fellowship in self.fellowships

    def active_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@record
class PeriodTotal:
    start: date
    end: date
    name: str                                 # "2026-W53", "week of 2026-12-27" (Sunday first), "December 2026"
    counted: int
    required: int
    deficit: int
    met: bool
    partial: bool                             # cut by the requirement's start or end: count prorated
    current: bool                             # contains as_of: still open
    days_left: int                            # days still open in the period, as_of included (0 when closed)


@record
class RequirementStatus:
    label: str
    count: int
    per: str
    verified_only: bool
    start: date
    end: date | None
    fellowships: tuple[str, ...]
    week_starts: str
    as_of: date
    active: bool
    periods: tuple[PeriodTotal, ...]
    periods_met: int
    periods_closed: int


@record
class NinetyInNinety:
    start: date
    end: date                                 # start + 89 days
    as_of: date
    day: int                                  # which of the 90 days as_of is (90 once they are over)
    meetings: int
    meeting_days: int                         # distinct days with a meeting
    days_left: int                            # days still open, as_of included
    expected: int                             # one meeting per day already over
    on_pace: bool
    behind_by: int
    to_go: int                                # meetings still needed for 90
    complete: bool                            # the 90 days are over


@record
class CurrentRequirement:
    label: str
    period_start: date
    period_end: date
    counted: int
    required: int
    deficit: int
    days_left: int
    met: bool
    partial: bool


@record
class MeetingsStatus:
    as_of: date
    week_start: date
    this_week: int
    last_30_days: int
    last_meeting: date | None
    requirements: tuple[CurrentRequirement, ...]


# -- pure arithmetic -------------------------------------------------------------------

def natural_period(day: date, per: str, week_starts: str = "monday") -> tuple[date, date]:
    """The calendar week or month containing `day` (the day-state engine's one rule)."""
    return period_bounds(day, per, week_starts)


def period_name(start: date, end: date, per: str, week_starts: str) -> str:
    if per == "month":
        return f"{MONTHS[start.month - 1]} {start.year}"
    if week_starts == "monday":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return f"week of {start.isoformat()}"


def prorated(count: int, days: int, length: int) -> int:
    """count × days / length, rounded up (exact integer arithmetic)."""
    return -(-count * days // length)


def requirement_periods(rule: Rule, meetings: Iterable[Attendance], as_of: date) -> tuple[PeriodTotal, ...]:
    """Every period of `rule` from its start to as_of (or its end, if earlier)."""
    last_day = min(as_of, rule.end) if rule.end else as_of
    if last_day < rule.start:
        return ()
    counted_dates = sorted(m.date for m in meetings if rule.counts(m) and rule.start <= m.date <= last_day)
    periods: list[PeriodTotal] = []
    cursor = rule.start
    while cursor <= last_day:
        natural_start, natural_end = natural_period(cursor, rule.per, rule.week_starts)
        start = max(natural_start, rule.start)
        end = min(natural_end, rule.end) if rule.end else natural_end
        length = (natural_end - natural_start).days + 1
        days = (end - start).days + 1
        required = prorated(rule.count, days, length)
        counted = bisect_right(counted_dates, min(end, last_day)) - bisect_left(counted_dates, start)
        current = start <= as_of <= end
        periods.append(PeriodTotal(
            start=start, end=end, name=period_name(natural_start, natural_end, rule.per, rule.week_starts),
            counted=counted, required=required, deficit=max(0, required - counted), met=counted >= required,
            partial=days < length, current=current, days_left=(end - as_of).days + 1 if current else 0,
        ))
        cursor = end + timedelta(days=1)
    return tuple(periods)


def requirement_status(rule: Rule, meetings: Sequence[Attendance], as_of: date) -> RequirementStatus:
    periods = requirement_periods(rule, meetings, as_of)
    closed = [p for p in periods if not p.current]
    return RequirementStatus(
        label=rule.label, count=rule.count, per=rule.per, verified_only=rule.verified_only, start=rule.start,
        end=rule.end, fellowships=rule.fellowships, week_starts=rule.week_starts, as_of=as_of,
        active=rule.active_on(as_of), periods=periods, periods_met=sum(p.met for p in closed),
        periods_closed=len(closed),
    )


def ninety_in_ninety(meeting_dates: Iterable[date], start: date, as_of: date) -> NinetyInNinety:
    """Meetings and distinct meeting days in the 90 days from `start` (start + 0 … start + 89).

    On pace means at least one meeting for every day already over (today is still open)."""
    end = start + timedelta(days=NINETY - 1)
    window_end = min(as_of, end)
    inside = [d for d in meeting_dates if start <= d <= window_end]
    meetings = len(inside)
    elapsed = max(0, min(NINETY, (as_of - start).days))
    complete = as_of > end
    expected = NINETY if complete else elapsed
    behind_by = max(0, expected - meetings)
    return NinetyInNinety(
        start=start, end=end, as_of=as_of, day=max(0, min(NINETY, (as_of - start).days + 1)),
        meetings=meetings, meeting_days=len(set(inside)),
        days_left=0 if complete else max(0, (end - as_of).days + 1),
        expected=expected, on_pace=behind_by == 0, behind_by=behind_by,
        to_go=max(0, NINETY - meetings), complete=complete,
    )


def current_period_start(rule: Rule, as_of: date) -> date:
    """The first day of the requirement's period containing `as_of` (cut by its start)."""
    return max(rule.start, natural_period(as_of, rule.per, rule.week_starts)[0])


def current_requirements(rules: Iterable[Rule], meetings: Sequence[Attendance], as_of: date
                         ) -> tuple[CurrentRequirement, ...]:
    out = []
    for rule in rules:
        if not rule.active_on(as_of):
            continue
        # Only the current period: the same one requirement_periods ends with, without
        # walking every period since the requirement began.
        period = requirement_periods(replace(rule, start=current_period_start(rule, as_of)), meetings, as_of)[-1]
        out.append(CurrentRequirement(
            label=rule.label, period_start=period.start, period_end=period.end, counted=period.counted,
            required=period.required, deficit=period.deficit, days_left=period.days_left, met=period.met,
            partial=period.partial,
        ))
    return tuple(out)


def meetings_summary(meetings: Sequence[Attendance], rules: Iterable[Rule], as_of: date,
                     last_meeting: date | None = None) -> MeetingsStatus:
    week_start, _ = natural_period(as_of, "week")
    month_start = as_of - timedelta(days=29)
    past = [m.date for m in meetings if m.date <= as_of]
    return MeetingsStatus(
        as_of=as_of, week_start=week_start,
        this_week=sum(week_start <= d for d in past),
        last_30_days=sum(month_start <= d for d in past),
        last_meeting=last_meeting if last_meeting is not None else (max(past) if past else None),
        requirements=current_requirements(rules, meetings, as_of),
    )


# -- reading the store ------------------------------------------------------------------

def attendance(row: dict[str, Any]) -> Attendance:
    return attendance_of(row["date"], row.get("verification"), row.get("fellowship"))


def attendance_of(day: str, verification: str | None, fellowship: str | None) -> Attendance:
    return Attendance(date=date.fromisoformat(day), verified=(verification or "none") != "none",
                      fellowship=fellowship)


def rule_from_row(row: dict[str, Any]) -> Rule:
    return Rule(label=row["label"], count=row["count"], per=row["per"], start=date.fromisoformat(row["start"]),
                end=date.fromisoformat(row["end"]) if row.get("end") else None,
                verified_only=bool(row["verified_only"]), fellowships=tuple(row.get("fellowships") or ()),
                week_starts=row.get("week_starts") or "monday")


def load_rules(store) -> list[Rule]:
    from recoverylog.storage import requirements as requirement_rows

    return [rule_from_row(r) for r in requirement_rows.list_all(store)]


def load_attendance(store, since: date | None = None, until: date | None = None) -> list[Attendance]:
    from recoverylog.storage import meetings as meeting_rows

    return [attendance(r) for r in meeting_rows.list_range(store, since, until)]


def requirements_report(store, as_of: date, label: str | None = None) -> tuple[RequirementStatus, ...]:
    if label is not None:
        from recoverylog.services.meetings import get_requirement

        rules = [rule_from_row(get_requirement(store, label))]
    else:
        rules = load_rules(store)
    if not rules:
        return ()
    meetings = load_attendance(store, min(r.start for r in rules), as_of)
    return tuple(requirement_status(rule, meetings, as_of) for rule in rules)


def periods_touching(rule: Rule, meetings: Sequence[Attendance], start: date, as_of: date
                     ) -> tuple[PeriodTotal, ...]:
    """The periods of `rule` that end on or after `start`, up to as_of: exactly those of
    `requirement_periods(rule, meetings, as_of)`, without walking the ones before (the first is
    the period containing `start`, cut by the rule's start as before). `meetings` need only hold
    those from the first such period's first day."""
    first = max(rule.start, natural_period(start, rule.per, rule.week_starts)[0])
    # (A rule that ended before `start` still has that one period cut short: left out as well.)
    return tuple(p for p in requirement_periods(replace(rule, start=first), meetings, as_of) if p.end >= start)


def requirements_touching(store, start: date, as_of: date) -> tuple[tuple[Rule, tuple[PeriodTotal, ...]], ...]:
    """Each requirement with its periods that end on or after `start` (`periods_touching`), read
    from the meetings of those periods only: a week's summary does not load fifty years."""
    rules = load_rules(store)
    if not rules:
        return ()
    since = min(max(r.start, natural_period(start, r.per, r.week_starts)[0]) for r in rules)
    meetings = load_attendance(store, since, as_of)
    return tuple((rule, periods_touching(rule, meetings, start, as_of)) for rule in rules)


def ninety_report(store, as_of: date, start: date | None = None) -> NinetyInNinety:
    """Default start: the first meeting in the 90 days ending at as_of (as_of itself if none)."""
    from recoverylog.errors import InputError

    if start is not None and start > as_of:
        raise InputError(f"--start {start.isoformat()} is after --as-of {as_of.isoformat()}.")
    window_start = start or as_of - timedelta(days=NINETY - 1)
    dates = [m.date for m in load_attendance(store, window_start, as_of)]
    if start is None:
        start = min(dates) if dates else as_of
    return ninety_in_ninety(dates, start, as_of)


def meetings_status(store, as_of: date) -> MeetingsStatus:
    """The `status` meetings part: this week (Monday first), the last 30 days, and each active
    requirement's current period."""
    rules = [r for r in load_rules(store) if r.active_on(as_of)]
    from recoverylog.storage import meetings as meeting_rows

    # Only the meetings the screen counts: this week, the last 30 days, the current periods.
    since = status_since(rules, as_of)
    meetings = [attendance_of(*row) for row in meeting_rows.attendance_between(store, since, as_of)]
    return meetings_summary(meetings, rules, as_of, last_meeting=meeting_rows.last_date(store, as_of))


def status_since(rules: Iterable[Rule], as_of: date) -> date:
    """The first day `meetings_status` reads meetings from."""
    return min([as_of - timedelta(days=29), natural_period(as_of, "week")[0]]
               + [current_period_start(r, as_of) for r in rules])
