"""Goals for the terminal: progress bars, one line per goal, and `goal list`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from recoverylog.render.words import plural

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
    from recoverylog.render.console import strip_control

    title = f"“{strip_control(g.title)}”"  # no escape codes or bidi overrides from stored text
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
    if g.reachable is False:
        span = g.per if g.per in ("week", "month") else "goal period"
        past = (f", counting {plural(g.open_past_days, 'past day')} not recorded yet"
                if g.open_past_days else "")
        return text + (f" · behind: at most {_n(g.at_most)} of {_n(g.target)} can still be reached "
                       f"this {span}{past}; the {_n(g.value)} so far still count")
    if g.on_track is False:
        import math

        behind = max(1, math.ceil((g.expected or 0) - g.value - 1e-9))
        return text + f" · behind: {behind} more would put it on track"
    return text


def goal_grid(console: "Console", goals, bar_width: int, with_ids: bool, indent: int) -> None:
    """One row per goal: bar, percentage, then the words, wrapped so that they hang under
    themselves (no trailing spaces, no words under the bar). Each row is one print of markup
    (a plain console writes it without rich)."""
    import textwrap

    from recoverylog.render.console import esc_tail

    id_width = max((len(f"#{g.id}") for g in goals), default=0) + 1 if with_ids else 0
    prefix_width = indent + id_width + bar_width + len(" 100 % ")
    text_width = max(20, console.width - prefix_width)
    for g in goals:
        ident = f"[dim]{f'#{g.id}'.ljust(id_width)}[/]" if with_ids else ""
        bar = f"[{'green' if g.met else 'cyan'}]{progress_bar(g.progress, bar_width)}[/]"
        wrapped = textwrap.wrap(goal_line(g), text_width) or [""]
        words = ("\n" + " " * prefix_width).join(map(esc_tail, wrapped))
        console.print(f"{' ' * indent}{ident}{bar} {g.progress:>3.0f} % {words}", soft_wrap=True)


def render_goal_list(console: "Console", goals: tuple["GoalProgress", ...]) -> None:
    if not goals:
        console.print("No active goals. Add one, e.g. "
                      "`recoverylog goal add \"3 meetings a week\" --metric meetings --target 3 --per week`.")
        return
    goal_grid(console, goals, 10 if console.width < 70 else 20, with_ids=True, indent=0)


def render_status_goals(console: "Console", goals: tuple["GoalProgress", ...]) -> None:
    """The goals part of `status`: a short bar and one line per goal."""
    console.print()
    console.print("[bold]Goals[/]")
    goal_grid(console, goals, 10, with_ids=False, indent=2)
