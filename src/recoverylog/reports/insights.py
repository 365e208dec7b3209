"""What went together (docs/definitions.md §10): mood and craving on days with a factor against
days without it — a meeting, reaching out, each HALT flag, sleep under 6 hours — and by weekday.

Each comparison carries both means, both day counts and the difference (with − without), and
exists only when each group has at least MIN_DAYS days with a value. It shows association, not
cause: a person who goes to a meeting on a good day makes meetings look helpful whatever they do.

The functions below are pure (a list of DayFacts in, frozen dataclasses out); `build_insights`
reads the store once per table and calls them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from recoverylog.records import record

MIN_DAYS = 5
DEFAULT_DAYS = 90
SHORT_SLEEP_HOURS = 6
MEASURES = ("mood", "craving")
HALT_WORDS = ("hungry", "angry", "lonely", "tired")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@record
class DayFacts:
    date: date
    mood: int | None = None
    craving: int | None = None
    sleep: float | None = None
    halt: tuple[str, ...] = ()
    meetings: int = 0
    outreach: int = 0


@record
class Comparison:
    factor: str          # meeting | outreach | hungry | angry | lonely | tired | short_sleep | a weekday name
    measure: str         # mood | craving
    with_mean: float
    without_mean: float
    with_days: int
    without_days: int

    @property
    def difference(self) -> float:
        return self.with_mean - self.without_mean


@record
class Insights:
    start: date
    end: date
    days_with_checkin: int
    comparisons: tuple[Comparison, ...]
    weekdays: tuple[Comparison, ...]   # factor = the weekday; "without" = the other days

    def largest(self, n: int = 2) -> tuple[Comparison, ...]:
        return largest(self.comparisons, n)


def _halt_flag(word: str) -> Callable[[DayFacts], bool | None]:
    def has(day: DayFacts) -> bool | None:
        return word in day.halt

    return has


def _meeting(day: DayFacts) -> bool | None:
    return day.meetings > 0


def _outreach(day: DayFacts) -> bool | None:
    return day.outreach > 0


def _short_sleep(day: DayFacts) -> bool | None:
    return None if day.sleep is None else day.sleep < SHORT_SLEEP_HOURS


# Each factor: (name, day -> True (with) / False (without) / None (in neither group)).
FACTORS: tuple[tuple[str, Callable[[DayFacts], bool | None]], ...] = (
    ("meeting", _meeting),
    ("outreach", _outreach),
    *((word, _halt_flag(word)) for word in HALT_WORDS),
    ("short_sleep", _short_sleep),
)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def compare(days: Sequence[DayFacts], factor: str, measure: str,
            has: Callable[[DayFacts], bool | None], min_days: int = MIN_DAYS) -> Comparison | None:
    """The measure's mean on days with the factor against days without; None unless each
    group has at least `min_days` days with a value."""
    with_values: list[float] = []
    without_values: list[float] = []
    for day in days:
        value = getattr(day, measure)
        if value is None:
            continue
        side = has(day)
        if side is None:
            continue
        (with_values if side else without_values).append(value)
    if len(with_values) < min_days or len(without_values) < min_days:
        return None
    return Comparison(factor, measure, _mean(with_values), _mean(without_values),
                      len(with_values), len(without_values))


def comparisons(days: Sequence[DayFacts], min_days: int = MIN_DAYS) -> tuple[Comparison, ...]:
    out = []
    for factor, has in FACTORS:
        for measure in MEASURES:
            found = compare(days, factor, measure, has, min_days)
            if found is not None:
                out.append(found)
    return tuple(out)


def _weekday(number: int) -> Callable[[DayFacts], bool | None]:
    def has(day: DayFacts) -> bool | None:
        return day.date.weekday() == number

    return has


def weekday_comparisons(days: Sequence[DayFacts], min_days: int = MIN_DAYS) -> tuple[Comparison, ...]:
    """Each weekday against the other days of the week, for each measure."""
    out = []
    for number, name in enumerate(WEEKDAYS):
        on_weekday = _weekday(number)
        for measure in MEASURES:
            found = compare(days, name, measure, on_weekday, min_days)
            if found is not None:
                out.append(found)
    return tuple(out)


def largest(items: Sequence[Comparison], n: int = 2) -> tuple[Comparison, ...]:
    """The n comparisons with the largest difference in size (ties: the order of FACTORS)."""
    ranked = sorted(enumerate(items), key=lambda pair: (-round(abs(pair[1].difference), 9), pair[0]))
    return tuple(item for _, item in ranked[:n])


def insights_from(days: Sequence[DayFacts], start: date, end: date) -> Insights:
    inside = [d for d in days if start <= d.date <= end]
    return Insights(start=start, end=end, days_with_checkin=len(inside),
                    comparisons=comparisons(inside), weekdays=weekday_comparisons(inside))


def default_range(today: date, since: date | None, until: date | None) -> tuple[date, date]:
    end = until or today
    return since or end - timedelta(days=DEFAULT_DAYS - 1), end


def build_insights(store, start: date, end: date) -> Insights:
    from recoverylog.storage import contacts as contact_rows
    from recoverylog.storage import report_queries as q

    meetings: dict[str, int] = {}
    for row in q.meetings_in(store, start, end):
        meetings[row["date"]] = meetings.get(row["date"], 0) + 1
    outreach: dict[str, int] = {}
    for row in contact_rows.outreach_between(store, start, end):
        outreach[row["date"]] = outreach.get(row["date"], 0) + 1
    days = [DayFacts(date=date.fromisoformat(r["date"]), mood=r["mood"], craving=r["craving"], sleep=r["sleep"],
                     halt=tuple(r["halt"]), meetings=meetings.get(r["date"], 0), outreach=outreach.get(r["date"], 0))
            for r in q.checkins_in(store, start, end)]
    return insights_from(days, start, end)


def _r(value: float) -> float:
    return round(value, 2)


def comparison_json(c: Comparison) -> dict:
    return {"factor": c.factor, "measure": c.measure, "with_mean": _r(c.with_mean),
            "without_mean": _r(c.without_mean), "with_days": c.with_days, "without_days": c.without_days,
            "difference": _r(c.difference)}


def insights_json(result: Insights) -> dict:
    return {"version": 1, "start": result.start.isoformat(), "end": result.end.isoformat(),
            "days_with_checkin": result.days_with_checkin, "min_days": MIN_DAYS,
            "comparisons": [comparison_json(c) for c in result.comparisons],
            "weekdays": [comparison_json(c) for c in result.weekdays],
            "largest": [comparison_json(c) for c in result.largest()],
            "note": "These show what went together in your record, not what caused what."}
