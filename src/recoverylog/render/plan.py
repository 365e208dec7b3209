"""Terminal views of the plan, its history, its status part, and step work.

Calm and uncluttered: headings in bold, items numbered as the commands number them,
nothing in red. Every piece of the person's text goes through esc()."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from recoverylog.render.console import esc

if TYPE_CHECKING:
    from rich.console import Console

    from recoverylog.reports.plan import PlanStatus
    from recoverylog.services.plan import Plan, PlanChange
    from recoverylog.services.steps import CurrentStep, StepChange, StepProgress


def long_day(day: date) -> str:
    return day.strftime("%-d %B %Y")


def ago(days: int) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


def until(days: int) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


def _numbered(console: "Console", items: list[str], *, bullet: bool = False) -> None:
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True, width=4)
    grid.add_column(overflow="fold")
    for number, text in enumerate(items, 1):
        grid.add_row("•" if bullet else f"{number}.", text)
    console.print(grid)


def review_line(status: "PlanStatus") -> str | None:
    if not status.has_plan or status.last_reviewed is None:
        return None
    line = f"Last reviewed {long_day(status.last_reviewed)} ({ago(status.days_since_review or 0)})."
    if status.review_due:
        line += (f" It has been {status.review_after_days} days or more: a calm moment to look it over "
                 "(`recoverylog plan edit`, or `plan review` when nothing needs to change).")
    return line


def render_plan(console: "Console", plan: "Plan", status: "PlanStatus",
                contacts: dict[str, tuple[str, str]]) -> None:
    """`recoverylog plan`. `contacts`: alias (lower case) -> (role, phone) of current contacts."""
    from recoverylog.reports.plan import next_occurrence
    from recoverylog.services.plan import SECTIONS, item_label

    console.print("[bold]My recovery plan[/]")
    if plan.version is None:
        console.print("Written in calm moments, for the hard ones. It is empty so far; start with "
                      "one line, in your own words:")
        console.print('  recoverylog plan add coping "walk round the block and call Sam"')
        console.print(f"[dim]Sections: {', '.join(name for name, _, _ in SECTIONS)}[/]")
        return
    line = review_line(status)
    if line:
        console.print(esc(line), style="dim" if not status.review_due else None)
    empty = []
    for name, title, _hint in SECTIONS:
        items = plan.sections[name]
        if not items:
            empty.append(name)
            continue
        console.print()
        console.print(f"[bold]{esc(title)}[/] [dim]({name})[/]")
        if name == "help":
            rows = []
            for alias in items:
                role, phone = contacts.get(alias.lower(), (None, ""))
                if role is None:
                    rows.append(f"{esc(alias)} [dim](no longer in your contacts)[/]")
                else:
                    rows.append(f"{esc(alias)} ({role})" + (f"  {esc(phone)}" if phone else ""))
            _numbered(console, rows)
        elif name == "risk-dates":
            rows = []
            for item in items:
                text = esc(item_label(name, item))
                nxt = next_occurrence(date.fromisoformat(item["date"]), bool(item.get("yearly")), status.as_of)
                if nxt is not None and (nxt - status.as_of).days <= 14:
                    text += f" [bold]· {until((nxt - status.as_of).days)}[/]"
                elif nxt is None:
                    text += " [dim](passed)[/]"
                rows.append(text)
            _numbered(console, rows)
        else:
            _numbered(console, [esc(item) for item in items])
    if empty:
        console.print()
        console.print(f"[dim]Not written yet: {', '.join(empty)}. "
                      "Add with `recoverylog plan add SECTION TEXT`.[/]")


def render_change(console: "Console", change: "PlanChange") -> None:
    """Confirmation after plan add/remove/move/review: on stderr-style one liners, then the section."""
    from recoverylog.services.plan import TITLES, item_label

    console.print(f"[green]✓[/] Plan updated: {esc(change.change)}.")
    for note in change.notes:
        console.print(f"  {esc(note)}")
    if change.section:
        items = change.plan.sections[change.section]
        console.print(f"[bold]{esc(TITLES[change.section])}[/] [dim]({change.section})[/]")
        if items:
            _numbered(console, [esc(item_label(change.section, item)) for item in items])
        else:
            console.print("  [dim]Nothing in this section now.[/]")
    console.print("[dim]The earlier version is kept (recoverylog plan history).[/]")


def render_history(console: "Console", versions: list[dict[str, Any]], first_number: int = 1) -> None:
    if not versions:
        console.print("No plan versions yet. `recoverylog plan add SECTION TEXT` writes the first.")
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Change", overflow="fold")
    for number, version in enumerate(versions, first_number):
        table.add_row(str(number), version["created_on"], esc(version["change"]))
    console.print(table)
    console.print(f"[dim]{len(versions)} version{'s' if len(versions) != 1 else ''}; the last one is your "
                  "current plan. `plan history --json` has every version in full.[/]")


# -- parts of `recoverylog status` -----------------------------------------------

def _indent(console: "Console", markup: str, left: int = 2) -> None:
    from rich.padding import Padding

    console.print(Padding(markup, (0, 0, 0, left)))


def render_plan_status(console: "Console", status: "PlanStatus", report: Any = None) -> None:
    """The plan part of `status`: last review (and the 90-day suggestion), and high-risk dates in
    the next 14 days beside the first coping steps."""
    from rich.padding import Padding

    if not status.has_plan:
        return
    console.print()
    console.print("[bold]Plan[/]")
    line = review_line(status)
    if line:
        _indent(console, esc(line))
    if status.upcoming:
        _indent(console, f"High-risk date{'s' if len(status.upcoming) != 1 else ''} in the next "
                         f"{status.window_days} days:")
        for risk in status.upcoming:
            _indent(console, f"{risk.date.strftime('%a %-d %b')} ({until(risk.days_until)}): {esc(risk.label)}", 4)
        if status.coping:
            _indent(console, "Your coping steps:")
            from rich.table import Table

            grid = Table.grid(padding=(0, 1))
            grid.add_column(justify="right", no_wrap=True)
            grid.add_column(overflow="fold")
            for number, step in enumerate(status.coping, 1):
                grid.add_row(f"{number}.", esc(step))
            console.print(Padding(grid, (0, 0, 0, 4)))


def render_current_step(console: "Console", step: "CurrentStep", report: Any = None) -> None:
    console.print()
    if step.all_done:
        when = f" (finished {long_day(step.since)})" if step.since else ""
        _indent(console, f"[bold]Step work[/] ({esc(step.program)}): all 12 steps done{when}.", 0)
        return
    since = f" since {long_day(step.since)}" if step.since else ""
    state = "in progress" if step.status == "in-progress" else "next"
    console.print(f"[bold]Step work[/] ({esc(step.program)})")
    _indent(console, f"Step {step.step}, {state}{since} · {step.done} of 12 done")


# -- step work -------------------------------------------------------------------

STATUS_WORDS = {"not-started": "not started", "in-progress": "in progress", "done": "done"}


def render_steps(console: "Console", progress: "StepProgress") -> None:
    if progress.program is None:
        console.print("No step work recorded. `recoverylog step 1 --status in-progress` starts it "
                      "(programs without steps never need this).")
        return
    from rich.table import Table

    if progress.all_done:
        head = "all 12 steps done"
    elif progress.current is not None:
        head = f"current step {progress.current}"
    else:
        head = "not begun"
    console.print(f"[bold]Step work · {esc(progress.program)}[/] · {head} · {progress.done} of 12 done")
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("Step", justify="right", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Started", no_wrap=True)
    table.add_column("Finished", no_wrap=True)
    with_notes = any(s.note for s in progress.steps)
    if with_notes:
        table.add_column("Note", overflow="fold")
    for s in progress.steps:
        mark = "→ " if s.step == progress.current else ""
        row = [f"{mark}{s.step}", STATUS_WORDS[s.status],
               s.started.isoformat() if s.started else "", s.finished.isoformat() if s.finished else ""]
        if with_notes:
            row.append(esc(s.note or ""))
        style = "bold" if s.step == progress.current else ("dim" if s.status == "not-started" else None)
        table.add_row(*row, style=style)
    console.print(table)


def render_step_change(console: "Console", change: "StepChange") -> None:
    word = STATUS_WORDS[change.status]
    if not change.recorded:
        console.print(f"Step {change.step} ({esc(change.program)}) is already {word} as of "
                      f"{long_day(change.date)}; nothing new to record.")
        return
    console.print(f"[green]✓[/] Step {change.step} ({esc(change.program)}): {word} as of {long_day(change.date)}"
                  + (f" (was {STATUS_WORDS[change.previous]})" if change.previous != change.status else "") + ".")
    if change.status == "done":
        console.print("Step by step. That is how this work gets done.")
