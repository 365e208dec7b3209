"""Terminal views of meetings, requirements, "90 in 90" and the status meetings part."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from recoverylog.render.console import esc

if TYPE_CHECKING:
    from rich.console import Console

    from recoverylog.reports.meetings import MeetingsStatus, NinetyInNinety, RequirementStatus
    from recoverylog.services.meetings import MeetingSaved


def _day(value: str | date) -> str:
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return day.strftime("%a %-d %b %Y")


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def verification_text(row: dict[str, Any]) -> str:
    method = row.get("verification") or "none"
    if method == "none":
        return ""
    return f"{method}: {row['verified_by']}" if row.get("verified_by") else method


def details(row: dict[str, Any]) -> str:
    parts = [row.get("fellowship"), row.get("format"), row.get("location"),
             f"ID {row['online_id']}" if row.get("online_id") else None,
             f"group #{row['group_number']}" if row.get("group_number") else None,
             row.get("time"), f"{row['minutes']} min" if row.get("minutes") else None,
             row.get("role") if row.get("role") not in (None, "attended") else None,
             "home group" if row.get("home_group") else None]
    return " · ".join(str(p) for p in parts if p)


def render_saved(console: "Console", saved: "MeetingSaved", verb: str) -> None:
    row = saved.meeting
    from recoverylog.render.console import print_wrapped

    console.print(f"[bold green]✓[/] Meeting {verb}: {esc(row['name'])} on {_day(row['date'])} (#{row['id']})")
    lines = []  # plain text: print_wrapped escapes it and wraps each line under the indent
    if details(row):
        lines.append(details(row))
    if verification_text(row):
        lines.append(f"Verified by {verification_text(row)}")
    if saved.filled_fields:
        names = ", ".join(f.replace("_", " ") for f in saved.filled_fields)
        lines.append(f"Filled in from {_day(saved.filled_from)}: {names}.")
        lines.append(f"Change any of them with `recoverylog meeting edit {row['id']}`.")
    if saved.changed_fields:
        lines.append(f"Changed: {', '.join(f.replace('_', ' ') for f in saved.changed_fields)}. "
                     "The earlier version is kept.")
    print_wrapped(console, lines)


def render_list(console: "Console", rows: list[dict[str, Any]]) -> None:
    if not rows:
        console.print("No meetings in that range yet. `recoverylog meeting add NAME` logs one.")
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Time", no_wrap=True)
    table.add_column("Meeting", overflow="fold", ratio=3)
    table.add_column("Details", overflow="fold", ratio=2)
    table.add_column("Verified", overflow="fold", ratio=2)
    for r in rows:
        info = " · ".join(p for p in (r.get("fellowship"), f"{r['minutes']}m" if r.get("minutes") else None) if p)
        verified = f"{r['verified_by']} ({r['verification']})" if r.get("verified_by") else verification_text(r)
        table.add_row(str(r["id"]), r["date"], r.get("time") or "", esc(r["name"]), esc(info), esc(verified))
    console.print(table)
    verified = sum(1 for r in rows if (r.get("verification") or "none") != "none")
    days = len({r["date"] for r in rows})
    console.print(f"[dim]{_plural(len(rows), 'meeting')} on {_plural(days, 'day')}, {verified} verified.[/]")


def render_requirements(console: "Console", rows: list[dict[str, Any]], today: date) -> None:
    if not rows:
        console.print("No attendance requirements yet. "
                      "`recoverylog meeting requirement add LABEL --count N --per week` adds one.")
        return
    for r in rows:
        ended = r["end"] and r["end"] < today.isoformat()
        console.print(f"[bold]{esc(r['label'])}[/]: {rule_text(r)}"
                      + (" [dim](ended)[/]" if ended else ""))


def rule_text(r: Any) -> str:
    """rule_plain(), escaped for rich."""
    return esc(rule_plain(r))


def rule_plain(r: Any) -> str:
    """'3 meetings a week (Monday to Sunday), verified meetings only, AA/NA only, from 2026-11-02 to 2027-05-01'
    for a requirement row (dict) or a Rule / RequirementStatus (attributes)."""
    get = r.get if isinstance(r, dict) else lambda k: getattr(r, k)
    per = get("per")
    text = f"{_plural(get('count'), 'meeting')} a {per}"
    if per == "week":
        text += " (Sunday to Saturday)" if get("week_starts") == "sunday" else " (Monday to Sunday)"
    if get("verified_only"):
        text += ", verified meetings only"
    if get("fellowships"):
        text += ", " + "/".join(get("fellowships")) + " only"
    start, end = get("start"), get("end")
    text += f", from {start}" + (f" to {end}" if end else "")
    return text


def _result(period) -> str:
    if period.current:
        left = _plural(period.days_left, "day")
        if period.met:
            return f"met ({left} left)"
        return f"{period.deficit} to go, {left} left"
    return "met" if period.met else f"short by {period.deficit}"


def render_requirement_status(console: "Console", statuses: tuple["RequirementStatus", ...]) -> None:
    if not statuses:
        console.print("No attendance requirements yet. "
                      "`recoverylog meeting requirement add LABEL --count N --per week` adds one.")
        return
    from rich.table import Table

    for index, status in enumerate(statuses):
        if index:
            console.print()
        console.print(f"[bold]{esc(status.label)}[/]: {rule_text(status)}")
        if not status.periods:
            console.print(f"  Starts on {_day(status.start)}: nothing to count yet.")
            continue
        table = Table(box=None, pad_edge=False, header_style="bold")
        table.add_column("Period", no_wrap=True)
        table.add_column("Dates", overflow="fold")
        table.add_column("Count", justify="right", no_wrap=True)
        table.add_column("Result", overflow="fold")
        for p in status.periods:
            dates = (f"{p.start:%-d}–{p.end:%-d %b}" if p.start.month == p.end.month
                     else f"{p.start:%-d %b}–{p.end:%-d %b}")
            name = p.name + (" (partial)" if p.partial else "") + (" (now)" if p.current else "")
            table.add_row(name, dates, f"{p.counted}/{p.required}", _result(p))
        console.print(table)
        unit = status.per
        if any(p.current for p in status.periods):
            console.print("[dim]Days left include today.[/]")
        if status.periods_closed:
            console.print(f"Met in {status.periods_met} of {_plural(status.periods_closed, 'completed ' + unit)}."
                          + ("" if status.active else " This requirement has ended."))


def render_ninety(console: "Console", n: "NinetyInNinety") -> None:
    console.print(f"[bold]90 in 90[/] from {_day(n.start)} to {_day(n.end)}"
                  + ("" if n.complete else f": day {n.day} of 90"))
    console.print(f"  {_plural(n.meetings, 'meeting')} on {_plural(n.meeting_days, 'different day')}.")
    if n.complete:
        if n.meetings >= 90:
            console.print("  The 90 days are complete: 90 meetings or more. That is a real commitment kept.")
        elif n.meetings == 0:
            console.print("  The 90 days are over: no meetings were logged in them.")
        else:
            still = "That meeting still counts." if n.meetings == 1 else "Every one of those meetings counts."
            console.print(f"  The 90 days are over: {_plural(n.meetings, 'meeting')}, {n.to_go} short of 90. {still}")
        return
    over = _plural(n.expected, "day")
    if n.on_pace:
        console.print(f"  On pace: {n.meetings} for {over} already over.")
    else:
        console.print(f"  Behind pace by {n.behind_by}: {n.meetings} for {over} already over. "
                      "A second meeting on some days closes the gap.")
    console.print(f"  {n.to_go} to go in {_plural(n.days_left, 'day')}, today included.")


def render_meetings_status(console: "Console", status: "MeetingsStatus") -> None:
    """The `status` meetings part (a few lines; nothing when no meeting or requirement was ever logged)."""
    if status.last_meeting is None and not status.requirements:
        return
    console.print()
    line = f"Meetings: {status.this_week} this week, {status.last_30_days} in the last 30 days"
    if status.last_meeting is not None:
        ago = (status.as_of - status.last_meeting).days
        when = "today" if ago == 0 else "yesterday" if ago == 1 else f"{ago} days ago"
        line += f" (last {when})"
    console.print(line)
    for r in status.requirements:
        left = _plural(r.days_left, "day")
        state = "met" if r.met else f"{r.deficit} to go, {left} left"
        console.print(f"  {esc(r.label)}: {r.counted} of {r.required} for {r.period_start:%-d %b}–{r.period_end:%-d %b}"
                      f" ({state})")
