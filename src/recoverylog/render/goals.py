"""Goals for the terminal: progress bars, one line per goal, and `goal list`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from recoverylog.render.console import esc

if TYPE_CHECKING:
    from rich.console import Console

    from recoverylog.reports.goals import GoalProgress

METRIC_WORDS = {"meetings": ("meeting", "meetings"), "checkins": ("day checked in", "days checked in"),
                "sober-days": ("sober day", "sober days"), "outreach": ("time reached out", "times reached out")}


def progress_bar(progress: float, width: int = 20) -> str:
    """A text bar (readable without colour): █ for done, ░ for to go."""
    filled = int(round(max(0.0, min(100.0, progress)) / 100 * width))
    return "█" * filled + "░" * (width - filled)


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def period_words(g: "GoalProgress") -> str:
    if g.per == "week":
        return f"week of {g.period_start.day} {g.period_start.strftime('%b')}"
    if g.per == "month":
        return g.period_start.strftime("%B %Y")
    if g.period_end is not None:
        return f"{g.period_start.day} {g.period_start.strftime('%b')} – {g.period_end.day} {g.period_end.strftime('%b %Y')}"
    return f"since {g.period_start.day} {g.period_start.strftime('%b %Y')}"


def goal_line(g: "GoalProgress") -> str:
    """“3 meetings a week” · 2 of 3 meetings (week of 16 Nov) · on track (plain text)."""
    title = f"“{g.title}”"
    if g.metric == "manual":
        if g.met:
            return f"{title} · done on {g.done_on.day} {g.done_on.strftime('%b %Y')}. Well done."
        due = f" · due {g.due.day} {g.due.strftime('%b %Y')}" if g.due else ""
        return f"{title} · not done yet{due}" + (" · past its due date" if g.on_track is False else "")
    one, many = METRIC_WORDS.get(g.metric, (g.metric, g.metric))
    what = many if g.target != 1 else one
    if g.substance and g.metric == "sober-days":
        what += f" ({g.substance})"
    text = f"{title} · {_n(g.value)} of {_n(g.target)} {what} ({period_words(g)})"
    if g.met:
        return text + " · goal met. Well done."
    if g.on_track is True:
        return text + " · on track"
    if g.on_track is False:
        import math

        behind = max(1, math.ceil((g.expected or 0) - g.value - 1e-9))
        return text + f" · behind: {behind} more would put it on track"
    return text


def _goal_grid(console: "Console", goals, bar_width: int, with_ids: bool, indent: int) -> None:
    """One row per goal: bar, percentage, then the words, wrapped under themselves."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1), pad_edge=False)
    if indent:
        grid.add_column(width=indent - 1, no_wrap=True)
    if with_ids:
        grid.add_column(style="dim", no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(overflow="fold", ratio=1)
    for g in goals:
        cells = [""] if indent else []
        if with_ids:
            cells.append(f"#{g.id}")
        bar_style = "green" if g.met else "cyan"
        cells += [f"[{bar_style}]{progress_bar(g.progress, bar_width)}[/]", f"{g.progress:.0f} %", esc(goal_line(g))]
        grid.add_row(*cells)
    console.print(grid)


def render_goal_list(console: "Console", goals: tuple["GoalProgress", ...]) -> None:
    if not goals:
        console.print("No active goals. Add one, e.g. "
                      "`recoverylog goal add \"3 meetings a week\" --metric meetings --target 3 --per week`.")
        return
    _goal_grid(console, goals, 10 if console.width < 70 else 20, with_ids=True, indent=0)


def render_status_goals(console: "Console", goals: tuple["GoalProgress", ...]) -> None:
    """The goals part of `status`: a short bar and one line per goal."""
    from rich.text import Text

    console.print()
    console.print(Text("Goals", style="bold"))
    _goal_grid(console, goals, 10, with_ids=False, indent=2)
