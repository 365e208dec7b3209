"""What went together, in words: both means, both day counts, the difference, and always the
reminder that it shows association, not cause."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from recoverylog.render.console import print_wrapped

if TYPE_CHECKING:
    from recoverylog.reports.insights import Comparison, Insights

NOT_CAUSE = ("These show what went together in your record, not what caused what: a good day can bring a "
             "meeting as easily as a meeting can bring a good day.")

GROUPS = {
    "meeting": ("days with a meeting", "days without"),
    "outreach": ("days you reached out", "days you did not"),
    "hungry": ("days you noted hungry", "days you did not"),
    "angry": ("days you noted angry", "days you did not"),
    "lonely": ("days you noted lonely", "days you did not"),
    "tired": ("days you noted tired", "days you did not"),
    "short_sleep": ("days with under 6 hours' sleep", "days with 6 hours or more"),
}


def groups(factor: str) -> tuple[str, str]:
    return GROUPS.get(factor, (f"{factor}s", "other days"))


def _num(value: float) -> str:
    return f"{value:.1f}"


def sentence(c: "Comparison") -> str:
    with_words, without_words = groups(c.factor)
    diff = c.difference
    direction = "the same" if round(diff, 1) == 0 else f"{_num(abs(diff))} {'higher' if diff > 0 else 'lower'}"
    return (f"{c.measure.capitalize()} averaged {_num(c.with_mean)} on {with_words} ({c.with_days} days) and "
            f"{_num(c.without_mean)} on {without_words} ({c.without_days} days): {direction}.")


SHORT = {"meeting": "a meeting", "outreach": "reached out", "hungry": "hungry", "angry": "angry",
         "lonely": "lonely", "tired": "tired", "short_sleep": "sleep under 6 h"}


def _table(console: Any, items: Sequence["Comparison"], first: str) -> None:
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column(first, no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("With", justify="right", no_wrap=True)
    table.add_column("Without", justify="right", no_wrap=True)
    table.add_column("Difference", justify="right", no_wrap=True)
    for c in items:
        diff = "0.0" if round(c.difference, 1) == 0 else f"{c.difference:+.1f}"
        table.add_row(SHORT.get(c.factor, c.factor), c.measure, f"{_num(c.with_mean)} ({c.with_days} d)",
                      f"{_num(c.without_mean)} ({c.without_days} d)", diff)
    console.print(table)


def render_insights(console: Any, result: "Insights") -> None:
    span = f"{result.start.strftime('%-d %b %Y')} – {result.end.strftime('%-d %b %Y')}"
    console.print(f"[bold]What went together · {span}[/]")
    print_wrapped(console, [f"{result.days_with_checkin} days with a check-in. Mood is 1–10, craving 0–10; each "
                            "row compares days with and without something, and appears only when each side "
                            "has at least 5 days (d = days)."], indent=0)
    if not result.comparisons and not result.weekdays:
        console.print()
        print_wrapped(console, ["Not enough days on each side yet to compare anything. Keep checking in, with "
                                "meetings, outreach, HALT and sleep when you can; this fills in over weeks."],
                      indent=0)
    if result.comparisons:
        console.print()
        _table(console, result.comparisons, "Days with")
        top = result.largest(1)
        if top:
            console.print()
            print_wrapped(console, ["The largest difference: " + sentence(top[0])], indent=0)
    if result.weekdays:
        console.print()
        _table(console, result.weekdays, "Weekday")
        print_wrapped(console, ["(each weekday against the other days of the week)"], indent=0)
    console.print()
    print_wrapped(console, [NOT_CAUSE], indent=0)


def report_lines(largest: Sequence["Comparison"]) -> list[str]:
    """The report's short section: the two largest differences."""
    if not largest:
        return []
    return [sentence(c) for c in largest] + ["What went together, not what caused it: `recoverylog insights` has more."]
