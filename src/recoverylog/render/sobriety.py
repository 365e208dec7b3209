"""Words and views for continuous time, lapse history, milestones and reduce goals.

Plain-text line builders (no markup; callers escape them) are shared by `status`, `sobriety`
and the messages printed after a use is recorded. Wording follows DOMAIN.md §8: say exactly
what was recorded and what still counts; a lapse is information, never a verdict."""

from __future__ import annotations

import shlex
from datetime import date
from typing import TYPE_CHECKING, Sequence

from recoverylog.render.console import esc
from recoverylog.render.console import print_wrapped as print_lines  # noqa: F401 (used here and by others)
from recoverylog.render.words import plural

if TYPE_CHECKING:
    from rich.console import Console

    from recoverylog.reports.sobriety import ReduceProgress, SubstanceReport


HISTORY_ROWS = 12


def fmt_day(day: date, ref: date | None = None) -> str:
    """'Sat 21 Nov 2026'; without the year when it is the year of `ref`."""
    if ref is not None and day.year == ref.year:
        return day.strftime("%a %-d %b")
    return day.strftime("%a %-d %b %Y")


def fmt_span(start: date, end: date, ref: date | None = None) -> str:
    """'Mon 16 – Sun 22 Nov', 'Wed 2 Sep – Thu 19 Nov 2026'; one day: 'Fri 20 Nov'."""
    if start == end:
        return fmt_day(end, ref)
    if start.year == end.year and start.month == end.month:
        return f"{start.strftime('%a %-d')} – {fmt_day(end, ref)}"
    if start.year == end.year:
        return f"{start.strftime('%a %-d %b')} – {fmt_day(end, ref)}"
    return f"{fmt_day(start)} – {fmt_day(end)}"




def days(n: int) -> str:
    return plural(n, "day")


def fmt_amount(amount: float | None, unit: str) -> str:
    if amount is None:
        return ""
    if unit == "drinks":
        return plural(amount, "drink")
    return f"{amount:g}"


def limits_text(max_per_day: float | None, max_days: int | None, per: str | None, unit: str) -> str:
    parts = []
    if max_per_day is not None:
        parts.append(f"at most {fmt_amount(max_per_day, unit)} a day" if unit == "drinks"
                     else f"at most {max_per_day:g} a day")
    if max_days is not None:
        parts.append(f"{plural(max_days, 'use day')} a {per or 'week'}")
    return ", ".join(parts)


def goal_text(report: "SubstanceReport") -> str:
    if report.goal == "reduce":
        limits = limits_text(report.max_per_day, report.max_days, report.max_days_per, report.unit)
        return f"reduce: {limits}" if limits else "reduce"
    if report.goal == "monitor":
        return "monitoring"
    return "abstain"


def since_text(day: date, as_of: date) -> str:
    gap = (as_of - day).days
    if gap == 0:
        return "today"
    if gap == 1:
        return "yesterday"
    return f"{days(gap)} ago"


def sober_days_text(report: "SubstanceReport") -> str:
    text = f"{report.sober_days} of {report.recorded_days} recorded day{'' if report.recorded_days == 1 else 's'}"
    if report.recorded_days == 0:
        text = "no days recorded yet"
    return text


def unrecorded_text(report: "SubstanceReport") -> str | None:
    if report.unrecorded_days <= 0:
        return None
    since = ("the last use" if report.last_use_recorded or report.last_use == report.declared_last_use
             else "tracking began")
    return f"Unrecorded since {since}: {days(report.unrecorded_days)} (not counted as sober)"


def milestone_text(report: "SubstanceReport") -> str | None:
    if not report.milestones_on:
        return None
    parts = []
    if report.milestones_reached:
        last = report.milestones_reached[-1]
        parts.append(f"Reached {last.label} on {fmt_day(last.date, report.as_of)}")
    if report.next_milestone:
        nxt = report.next_milestone
        parts.append(f"next: {nxt.label} on {fmt_day(nxt.date, report.as_of)} ({days(nxt.days_to_go)} to go)")
    if not parts:
        return None
    text = " · ".join(parts)
    return text[0].upper() + text[1:]


def reduce_lines(progress: "ReduceProgress", unit: str, name: str) -> list[str]:
    window = "This week" if progress.per == "week" else "This month"
    span = fmt_span(progress.window_start, progress.window_end, progress.as_of)
    lines = []
    if progress.max_days is not None:
        state = "within goal so far" if progress.within_goal else "over the goal"
        lines.append(f"{window}: {progress.use_days} of {plural(progress.max_days, 'use day')} "
                     f"({state}; {span})")
    else:
        lines.append(f"{window}: {plural(progress.use_days, 'use day')} ({span})")
    if progress.max_per_day is not None:
        limit = fmt_amount(progress.max_per_day, unit) if unit == "drinks" else f"{progress.max_per_day:g}"
        if progress.use_days == 0:
            lines.append(f"Daily limit {limit}: no use days yet {window.lower()}")
        elif progress.days_over_daily_limit == 0 and progress.days_amount_unknown == 0:
            lines.append(f"Daily limit {limit}: every use day within it")
        else:
            over = [d for d in progress.use_days_detail
                    if d.amount is not None and d.amount > progress.max_per_day]
            text = f"Daily limit {limit}: {progress.use_days - len(over) - progress.days_amount_unknown} within"
            if over:
                text += ", " + ", ".join(f"{fmt_day(d.date, progress.as_of)} {fmt_amount(d.amount, unit)}"
                                         for d in over[:3])
                text += " over"
            if progress.days_amount_unknown:
                text += f", {progress.days_amount_unknown} with no amount recorded"
            lines.append(text)
    lines.append(f"Within goal {days(progress.streak_days)} in a row")
    return lines


def summary_lines(report: "SubstanceReport") -> list[str]:
    """The substance's part of `status`: headline first, then what still counts."""
    name = report.name
    lines: list[str] = []
    if report.goal == "monitor":
        w = report.last_30_days
        total = f" · {fmt_amount(w.total_amount, report.unit)} in total" if w.total_amount is not None else ""
        lines.append(f"Last 30 days: {plural(w.use_days, 'use day')} of {days(w.recorded_days)} recorded{total}")
        if report.last_use is not None and report.last_use_recorded:
            lines.append(f"Last use: {fmt_day(report.last_use, report.as_of)} "
                         f"({since_text(report.last_use, report.as_of)})")
        return lines
    if report.goal == "reduce":
        if report.reduce is not None:
            lines += reduce_lines(report.reduce, report.unit, name)
        # Days since last use stay a fact for a reduce goal (issue 3), declared or recorded.
        if report.last_use is not None and report.last_use_recorded:
            lines.append(f"Last use: {fmt_day(report.last_use, report.as_of)} "
                         f"({since_text(report.last_use, report.as_of)})")
        elif report.last_use is not None and report.last_use == report.declared_last_use:
            lines.append(f"Last use: {fmt_day(report.last_use, report.as_of)} "
                         f"(declared; {since_text(report.last_use, report.as_of)})")
        elif report.tracking_start <= report.as_of:
            lines.append(f"No use recorded since tracking began {fmt_day(report.tracking_start, report.as_of)}")
        lines.append(f"Days without use: {sober_days_text(report)}")
        if (m := milestone_text(report)):
            lines.append(m)
        return lines
    if report.days is None:
        lines.append("Not tracked yet on this date.")
        return lines
    if report.days == 0:
        amount = fmt_amount(report.last_use_amount, report.unit)
        lines.append(f"Used today{f' ({amount})' if amount else ''}. Day 1 without {name} starts tomorrow.")
    else:
        lines.append(f"{days(report.days)} without {name} · since {fmt_day(report.sobriety_date, report.as_of)}")
    lines.append(f"Sober days: {sober_days_text(report)}")
    if (u := unrecorded_text(report)):
        lines.append(u)
    longest = f"Longest period: {days(report.longest_days)}"
    if report.average_recent_periods is not None and report.completed_periods >= 2:
        n = min(3, report.completed_periods)
        longest += f" · average of the last {n}: {report.average_recent_periods:g} days"
    lines.append(longest)
    if (m := milestone_text(report)):
        lines.append(m)
    return lines


def heading(report: "SubstanceReport") -> str:
    tail = "" if report.active else ", archived"
    return f"{report.name} ({goal_text(report)}{tail})"


# -- after a use is recorded ------------------------------------------------------

def use_recorded_lines(report: "SubstanceReport", day: date, amount: float | None, *,
                       day_total: float | None = None, added_to: bool = False) -> list[str]:
    """What to say after a use is recorded: what was recorded, what still counts, one next step.

    `report` is the substance's report as of today, computed after the write."""
    name = report.name
    unit_amount = fmt_amount(amount, report.unit)
    if added_to:
        total = fmt_amount(day_total, report.unit)
        recorded = (f"Added {unit_amount or 'a use'} to {fmt_day(day, report.as_of)} for {name}"
                    + (f": {total} that day." if total else "."))
    else:
        recorded = (f"Recorded: used {name} on {fmt_day(day, report.as_of)}"
                    + (f" ({unit_amount})." if unit_amount else "."))
    lines = [recorded]
    if report.goal == "monitor":
        w = report.last_30_days
        lines.append(f"Last 30 days: {plural(w.use_days, 'use day')} of {days(w.recorded_days)} recorded.")
        return lines
    if report.goal == "reduce" and report.reduce is not None:
        progress = report.reduce
        verdict = next((d.within for d in progress.use_days_detail if d.date == day), None)
        window = "this week" if progress.per == "week" else "this month"
        limits = limits_text(report.max_per_day, report.max_days, report.max_days_per, report.unit)
        count = (f"{progress.use_days} of {plural(progress.max_days, 'use day')} {window}"
                 if progress.max_days is not None else f"{plural(progress.use_days, 'use day')} {window}")
        if verdict is True:
            lines.append(f"Within your goal ({limits}): {count}.")
            lines.append(f"Next step: keep going as planned; `recoverylog status` shows the {progress.per}.")
        elif verdict is None and day >= progress.window_start:
            lines.append(f"No amount recorded, so the daily limit cannot be checked; {count}.")
            lines.append(f"Next step: add the amount with `recoverylog uses edit {shlex.quote(name)} --date {day.isoformat()} "
                         "--amount N`.")
        else:
            if day >= progress.window_start:
                lines.append(f"That is over your goal ({limits}): {count}.")
            lines.append(f"What still counts: {sober_days_text(report)} without use; "
                         "every day within goal still counts.")
            lines.append("Next step: plan tomorrow's limit now, and check in tomorrow.")
        return lines
    if report.sober_days:
        lines.append(f"What still counts: {sober_days_text(report)} without {name}.")
    else:
        lines.append("Writing it down honestly is what makes this record worth keeping; "
                     "every day from here counts.")
    ended = next((p for p in report.periods if p.ended_by == day), None)
    if ended is not None:
        lines.append(f"Your {days(ended.days)} ({fmt_span(ended.start, ended.end, report.as_of)}) "
                     f"{'stays' if ended.days == 1 else 'stay'} in "
                     f"your history; longest period {days(report.longest_days)}.")
    elif report.longest_days:
        lines.append(f"Your longest period, {days(report.longest_days)}, stays in your history.")
    if report.milestones_on and report.next_milestone is not None:
        nxt = report.next_milestone
        lines.append(f"Next step: check in tomorrow. {nxt.label} without {name} is on "
                     f"{fmt_day(nxt.date, report.as_of)}.")
    else:
        lines.append("Next step: check in tomorrow; a lapse is information, and you can look at what "
                     "led up to it in your check-ins.")
    return lines


# -- `recoverylog sobriety` ----------------------------------------------------------

def render_sobriety(console: "Console", reports: Sequence["SubstanceReport"], as_of: date) -> None:
    if not reports:
        console.print("No substances are tracked yet. `recoverylog substance add NAME` starts one.")
        return
    console.print(f"[bold]As of {fmt_day(as_of)}[/]")
    for report in reports:
        console.print()
        console.print(f"[bold]{esc(heading(report))}[/]")
        print_lines(console, summary_lines(report))
        if report.goal == "monitor":
            continue
        began = (f"Tracking began {fmt_day(report.tracking_start)}" if report.tracking_start <= report.as_of
                 else f"Tracking begins {fmt_day(report.tracking_start)} (after this as-of date)")
        if report.declared_last_use:
            began += f"; last use declared {fmt_day(report.declared_last_use)}"
        extra = [began]
        if report.milestones_reached:
            extra.append("Milestones: " + ", ".join(
                f"{m.label} ({m.date.strftime('%-d %b %Y')})" for m in report.milestones_reached))
        print_lines(console, extra)
        _render_periods(console, report)


def _render_periods(console: "Console", report: "SubstanceReport") -> None:
    if not report.periods:
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold", padding=(0, 1))
    table.add_column("From", no_wrap=True)
    table.add_column("To", no_wrap=True)
    table.add_column("Days", justify="right", no_wrap=True)
    table.add_column("Ended by", overflow="fold")
    shown = list(reversed(report.periods))[:HISTORY_ROWS]
    for p in shown:
        if p.end is None:
            to, ended = "now", "(current)"
        else:
            to = p.end.isoformat()
            ended = f"use on {p.ended_by.isoformat()}" + (f": {p.note}" if p.note else "")
        table.add_row(p.start.isoformat(), to, str(p.days), esc(ended))
    console.print("  History (newest first):")
    from rich.padding import Padding

    console.print(Padding(table, (0, 0, 0, 2), expand=False))
    if len(report.periods) > HISTORY_ROWS:
        more = len(report.periods) - HISTORY_ROWS
        print_lines(console, [f"… and {more} earlier period{'' if more == 1 else 's'} "
                              f"(`recoverylog sobriety {shlex.quote(report.name)} --json` lists them all)."])


# -- `substance list` and `uses` ---------------------------------------------------------

def render_substance_list(console: "Console", substances: Sequence) -> None:
    if not substances:
        console.print("No substances tracked. `recoverylog substance add NAME` starts one.")
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    for name in ("Name", "Unit", "Goal", "Since", "Status"):
        table.add_column(name, overflow="fold")
    for s in substances:
        limits = limits_text(s.max_per_day, s.max_days, s.max_days_per, s.unit)
        goal = f"{s.goal}: {limits}" if limits else s.goal
        status = "active" if s.active else f"archived {s.archived_on.isoformat()}"
        table.add_row(esc(s.name), s.unit, goal, s.added_on.isoformat(), status)
    console.print(table)


def render_use_list(console: "Console", rows: Sequence[dict], *, all_days: bool = False) -> None:
    if not rows:
        console.print("No use records in that range." if not all_days else "No records in that range.")
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("Date", no_wrap=True)
    table.add_column("Substance", overflow="fold")
    table.add_column("Used", no_wrap=True)
    table.add_column("Amount", justify="right", no_wrap=True)
    table.add_column("Note", overflow="fold")
    uses = 0
    for r in rows:
        uses += bool(r["used"])
        later = " *" if r["recorded_on"] > r["date"] else ""
        table.add_row(r["date"] + later, esc(r["name"]), "yes" if r["used"] else "no",
                      "" if r["amount"] is None else f"{r['amount']:g}", esc(r["note"] or ""))
    console.print(table)
    summary = f"{plural(uses, 'use day')}" + (f" of {days(len(rows))} recorded" if all_days else "")
    if any(r["recorded_on"] > r["date"] for r in rows):
        summary += " · * filled in later"
    console.print(f"[dim]{summary}[/]")
