"""Words and views for continuous time, lapse history, milestones and reduce goals.

Plain-text line builders (no markup; callers escape them) are shared by `status`, `sobriety`
and the messages printed after a use is recorded. Wording: say exactly
what was recorded and what still counts; a lapse is information, never a verdict."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from recoverylog.render.console import esc
from recoverylog.render.console import print_wrapped as print_lines  # noqa: F401 (used here and by others)
from recoverylog.render.words import plural

if TYPE_CHECKING:
    from rich.console import Console

    from recoverylog.reports.sobriety import ReduceProgress, SubstanceReport
    from recoverylog.services.uses import UseConfirmation


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


def since_anchor_words(report: "SubstanceReport") -> str:
    return ("the last recorded use" if report.last_use_recorded
            else "the declared last use" if report.last_use == report.declared_last_use
            else "tracking began")


def unrecorded_text(report: "SubstanceReport") -> str | None:
    if report.unrecorded_days <= 0:
        return None
    since = ("the last use" if report.last_use_recorded or report.last_use == report.declared_last_use
             else "tracking began")
    return f"Unrecorded since {since}: {days(report.unrecorded_days)} (not counted as sober)"


def unconfirmed_text(report: "SubstanceReport") -> str:
    """Days have passed since the last use and none is recorded: say so instead of a count of days
    without use or a milestone (docs/definitions.md §3)."""
    return f"{days(report.days or 0)} since {since_anchor_words(report)} (none recorded since)"


def milestone_text(report: "SubstanceReport") -> str | None:
    if not report.milestones_on:
        return None
    parts = []
    if report.milestones_reached:
        last = report.milestones_reached[-1]
        parts.append(f"Reached {last.label} on {fmt_day(last.date, report.as_of)}")
    if report.milestones_pending:
        due = report.milestones_pending[-1]
        parts.append(f"{due.label} ({fmt_day(due.date, report.as_of)}) counts once a day without use "
                     "is recorded on or after it")
    elif report.next_milestone:
        nxt = report.next_milestone
        parts.append(f"next: {nxt.label} on {fmt_day(nxt.date, report.as_of)} ({days(nxt.days_to_go)} to go)")
    if not parts:
        return None
    text = " · ".join(parts)
    return text[0].upper() + text[1:]


def verdict_words(verdict: str, complete: bool, unrecorded: int) -> str:
    if verdict == "over":
        return "over the goal"
    if verdict == "incomplete":
        return f"none over the goal so far, {days(unrecorded)} not recorded" if not complete \
            else f"not over the goal, {days(unrecorded)} not recorded"
    return "within goal so far" if not complete else "within goal"


def limit_words(limit: float, unit: str) -> str:
    return fmt_amount(limit, unit) if unit == "drinks" else f"{limit:g}"


def reduce_lines(progress: "ReduceProgress", unit: str, name: str) -> list[str]:
    """A reduce goal in its own terms: this week or month, its daily limit, its amount against the
    four before, periods within goal and the run of days within goal (docs/definitions.md §4)."""
    window = "This week" if progress.per == "week" else "This month"
    span = fmt_span(progress.window_start, progress.window_end, progress.as_of)
    complete = progress.as_of >= progress.window_end
    state = verdict_words(progress.verdict, complete, progress.unrecorded_days)
    lines = []
    if progress.max_days is not None:
        lines.append(f"{window}: {progress.use_days} of {plural(progress.max_days, 'use day')} "
                     f"({state}; {span})")
    else:
        lines.append(f"{window}: {plural(progress.use_days, 'use day')} ({state}; {span})")
    if progress.max_per_day is not None:
        limit = limit_words(progress.max_per_day, unit)
        if progress.use_days == 0:
            lines.append(f"Daily limit {limit}: no use days yet {window.lower()}")
        elif progress.days_over_daily_limit == 0 and progress.days_amount_unknown == 0:
            lines.append(f"Daily limit {limit}: every use day within it")
        else:
            over = [d for d in progress.use_days_detail if d.state == "over_limit"]
            text = f"Daily limit {limit}: {progress.days_within_limit or 0} within"
            if over:
                text += ", " + ", ".join(f"{fmt_day(d.date, progress.as_of)} {fmt_amount(d.amount, unit)}"
                                         for d in over[:3])
                text += " over"
            if progress.days_amount_unknown:
                text += f", {progress.days_amount_unknown} with no amount recorded (neither within nor over)"
            lines.append(text)
    if unit != "none" and progress.amount_this_period is not None:
        text = f"Amount {window.lower()}: {fmt_amount(progress.amount_this_period, unit) or '0'}"
        if progress.average_amount_previous_4 is not None:
            n = progress.previous_periods
            text += (f" (the {n} {progress.per}s before: {fmt_amount(progress.average_amount_previous_4, unit)}"
                     f" a {progress.per} on average)" if n > 1 else
                     f" (the {progress.per} before: {fmt_amount(progress.average_amount_previous_4, unit) or '0'})")
        lines.append(text)
    judged = progress.periods_within_goal + progress.periods_over_goal + progress.periods_incomplete
    if judged > 1:
        text = f"{progress.per.capitalize()}s within goal: {progress.periods_within_goal} of {judged}"
        extra = []
        if progress.periods_over_goal:
            extra.append(f"{progress.periods_over_goal} over")
        if progress.periods_incomplete:
            extra.append(f"{progress.periods_incomplete} not fully recorded")
        lines.append(text + (f" ({', '.join(extra)})" if extra else ""))
    lines.append(f"Within goal {days(progress.streak_days)} in a row")
    return lines


def last_use_line(report: "SubstanceReport") -> str | None:
    if report.last_use is not None and report.last_use_recorded:
        return f"Last use: {fmt_day(report.last_use, report.as_of)} ({since_text(report.last_use, report.as_of)})"
    if report.last_use is not None and report.last_use == report.declared_last_use:
        return (f"Last use: {fmt_day(report.last_use, report.as_of)} "
                f"(declared; {since_text(report.last_use, report.as_of)})")
    if report.tracking_start <= report.as_of:
        return f"No use recorded since tracking began {fmt_day(report.tracking_start, report.as_of)}"
    return None


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
        # A reduce goal in its own terms: no "sober", no "days without use: 0 of N".
        if report.reduce is not None:
            lines += reduce_lines(report.reduce, report.unit, name)
        if (last := last_use_line(report)):
            lines.append(last)
        if (m := milestone_text(report)):
            lines.append(m)
        return lines
    if report.days is None:
        lines.append("Not tracked yet on this date.")
        return lines
    if report.days == 0:
        amount = fmt_amount(report.last_use_amount, report.unit)
        lines.append(f"Used today{f' ({amount})' if amount else ''}. Day 1 without {name} starts tomorrow.")
    elif report.current_gap:
        lines.append(unconfirmed_text(report).capitalize())
    else:
        lines.append(f"{days(report.days)} without {name} · since {fmt_day(report.sobriety_date, report.as_of)}")
    lines.append(f"Sober days: {sober_days_text(report)}")
    if (u := unrecorded_text(report)):
        lines.append(u)
    longest = f"Longest period: {days(report.longest_days)}"
    if report.average_recent_periods is not None and report.completed_periods >= 2:
        n = min(3, report.completed_periods)
        longest += f" · average of the last {n}: {report.average_recent_periods:g} days"
    if report.gaps:
        longest += (f" · {plural(report.gaps, 'stretch', 'stretches')} with no day recorded "
                    "left out")
    lines.append(longest)
    if (m := milestone_text(report)):
        lines.append(m)
    return lines


def heading(report: "SubstanceReport") -> str:
    tail = "" if report.active else ", archived"
    return f"{report.name} ({goal_text(report)}{tail})"


# -- after a use or a day without use is recorded ---------------------------------------

def _reduce_day_text(c: "UseConfirmation") -> str:
    """'Tue 3 Mar: 4 cigarettes, within your limit of 5; that week: 3 use days' — the day judged
    against its own week or month (docs/definitions.md §4)."""
    report, period, day = c.report, c.period, c.day
    unit = report.unit
    amount = fmt_amount(c.line.amount, unit)
    if amount and unit == "count":
        name = report.name[:-1] if c.line.amount == 1 and report.name.endswith("s") else report.name
        amount = f"{amount} {name}"
    head = f"{fmt_day(day, c.today)}: {amount}" if amount else f"{fmt_day(day, c.today)}: used {report.name}"
    if report.max_per_day is not None:
        limit = limit_words(report.max_per_day, unit)
        head += {"within_limit": f", within your limit of {limit}",
                 "over_limit": f", over your limit of {limit}",
                 "amount_not_recorded": f", no amount recorded (your limit is {limit})"}.get(c.day_state, "")
    if period is None:
        return head + "."
    which = ("this" if day >= period.start and c.today <= period.end else "that") + f" {period.per}"
    count = (f"{period.use_days} of {plural(period.max_days, 'use day')}" if period.max_days is not None
             else plural(period.use_days, "use day"))
    return f"{head}; {which}: {count}, {verdict_words(period.verdict, period.complete, period.unrecorded_days)}."


def use_recorded_lines(c: "UseConfirmation") -> list[str]:
    """What to say after a use is recorded: what was recorded, what still counts, one next step.
    `c.report` is the substance's report as of today, built after the write."""
    report, day, line = c.report, c.day, c.line
    name = report.name
    unit_amount = fmt_amount(line.given, report.unit)
    if line.added_to:
        total = fmt_amount(line.amount, report.unit)
        recorded = (f"Added {unit_amount or 'a use'} to {fmt_day(day, c.today)} for {name}"
                    + (f": {total} that day." if total else "."))
    else:
        recorded = (f"Recorded: used {name} on {fmt_day(day, c.today)}"
                    + (f" ({fmt_amount(line.amount, report.unit)})." if line.amount is not None else "."))
    lines = [recorded]
    if report.goal == "monitor":
        w = report.last_30_days
        lines.append(f"Last 30 days: {plural(w.use_days, 'use day')} of {days(w.recorded_days)} recorded.")
        return lines
    if report.goal == "reduce" and c.period is not None:
        lines.append(_reduce_day_text(c))
        if c.day_state == "amount_not_recorded":
            import shlex

            lines.append(f"Next step: add the amount with `recoverylog uses edit {shlex.quote(name)} "
                         f"--date {day.isoformat()} --amount N`.")
        elif c.day_state == "over_limit" or c.period.verdict == "over":
            lines.append(f"What still counts: every day within your goal; within goal {days(report.reduce.streak_days)} "
                         "in a row as of today." if report.reduce else "What still counts: every day within your goal.")
            lines.append("Next step: plan the next day's limit, and check in tomorrow.")
        else:
            lines.append(f"Next step: keep going as planned; `recoverylog status` shows the {c.period.per}.")
        return lines
    if report.sober_days:
        lines.append(f"What still counts: {sober_days_text(report)} without {name}.")
    else:
        lines.append("Writing it down honestly is what makes this record worth keeping; "
                     "every day from here counts.")
    ended = next((p for p in report.periods if p.ended_by == day), None)
    if ended is not None and not ended.gap:
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


def no_use_recorded_lines(c: "UseConfirmation") -> list[str]:
    """After a day without use is recorded: that day's own words; counts as of today."""
    r, day, s = c.report, c.day, c.line.substance
    when = "today" if day == c.today else f"on {fmt_day(day)}"
    if r.goal == "abstain" and r.days is not None:
        counts = f"{days(r.days)} without it ({sober_days_text(r)} without use)."
        if r.current_gap:
            counts = f"{unconfirmed_text(r)}."
        return [f"No use of {s.name} today: {counts}" if day == c.today
                else f"No use of {s.name} {when}; as of today, {counts}"]
    if r.goal == "reduce" and c.period is not None:
        which = ("this" if c.today <= c.period.end else "that") + f" {c.period.per}"
        count = (f"{c.period.use_days} of {plural(c.period.max_days, 'use day')}" if c.period.max_days is not None
                 else plural(c.period.use_days, "use day"))
        text = f"No use of {s.name} {when}: a day within your goal; {which}: {count}"
        run = r.reduce.streak_days if r.reduce is not None else 0
        return [text + (f"; within goal {days(run)} in a row as of today." if run else ".")]
    return [f"No use of {s.name} {when}."]


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
    from recoverylog.render.table import Padding, Table

    table = Table(box=None, pad_edge=False, header_style="bold", padding=(0, 1))
    table.add_column("From", no_wrap=True)
    table.add_column("To", no_wrap=True)
    table.add_column("Days", justify="right", no_wrap=True)
    table.add_column("Recorded", no_wrap=True)
    table.add_column("Ended by", overflow="fold")
    shown = list(reversed(report.periods))[:HISTORY_ROWS]
    for p in shown:
        if p.end is None:
            to, ended = "now", "(current)"
        else:
            to = p.end.isoformat()
            ended = f"use on {p.ended_by.isoformat()}" + (f": {p.note}" if p.note else "")
        if p.gap:
            # Not a period without use: nobody recorded those days (docs/definitions.md §3).
            table.add_row(p.start.isoformat(), to, "", f"{days(p.days)} not recorded", esc(ended))
            continue
        recorded = "all" if p.unrecorded_days == 0 else f"{p.recorded_days} of {p.recorded_days + p.unrecorded_days}"
        if p.declared_days:
            recorded += f" + {p.declared_days} declared"
        table.add_row(p.start.isoformat(), to, str(p.days), recorded, esc(ended))
    console.print("  History (newest first):")
    console.print(Padding(table, (0, 0, 0, 2), expand=False))
    if len(report.periods) > HISTORY_ROWS:
        import shlex

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
