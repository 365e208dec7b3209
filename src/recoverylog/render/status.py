"""The terminal view of `recoverylog status`: one section per part of StatusReport.

To add a part: write `_section_<name>(console, value)` and add (name, function) to SECTIONS.
A part that is None is left out of the view."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from recoverylog.render.console import esc

if TYPE_CHECKING:
    from rich.console import Console

    from recoverylog.reports.checkins import CheckinSummary
    from recoverylog.reports.status import StatusReport


def _section_checkins(console: "Console", summary: "CheckinSummary", report: "StatusReport") -> None:
    from recoverylog.render.sobriety import days, fmt_day

    past = report.today is not None and report.as_of < report.today
    if summary.last_checkin is None:
        console.print("Check-ins: none on or before that day." if past
                      else "Check-ins: none yet. `recoverylog checkin` records today's.")
        return
    if summary.today_done:
        today = "done that day" if past else "done for today"
    else:
        when = "that day" if past else "today"
        today = f"not yet {when} (last {fmt_day(summary.last_checkin)})"
    line = f"Check-ins: streak {days(summary.streak)} (longest {summary.longest_streak}) · {today}"
    console.print(esc(line))


def _section_substances(console: "Console", substances: tuple, report: "StatusReport") -> None:
    from recoverylog.render.sobriety import heading, print_lines, summary_lines

    if not substances:
        if report.today is not None and report.as_of < report.today:
            console.print("No substance was tracked yet on that day.")
        else:
            console.print("No substances tracked. `recoverylog substance add NAME` starts counting days.")
        return
    for item in substances:
        console.print()
        console.print(f"[bold]{esc(heading(item))}[/]")
        print_lines(console, summary_lines(item))


def _section_meetings(console: "Console", status: Any, report: "StatusReport") -> None:
    from recoverylog.render.meetings import render_meetings_status

    render_meetings_status(console, status)


def _goals_part():
    from recoverylog.render import goals

    return goals


def _plan_parts():
    from recoverylog.render import plan

    return plan


# (part name, renderer). Later parts append here: ("meetings", _section_meetings), …
SECTIONS: list[tuple[str, Callable[["Console", Any, "StatusReport"], None]]] = [
    ("checkins", _section_checkins),
    ("substances", _section_substances),
    ("meetings", _section_meetings),
    ("goals", lambda console, value, report: _goals_part().render_status_goals(console, value)),
    ("plan", lambda console, value, report: _plan_parts().render_plan_status(console, value, report)),
    ("steps", lambda console, value, report: _plan_parts().render_current_step(console, value, report)),
    ("health", lambda console, value, report: _health_part().render_status_health(console, value, report)),
    ("money", lambda console, value, report: _money().render_money(console, value, report.today or report.as_of)),
    ("warnings", lambda console, value, report: _warnings().render_warnings(console, value)),
]


def _health_part():
    from recoverylog.render import health

    return health


def _money():
    from recoverylog.render import money

    return money


def _warnings():
    from recoverylog.render import warnings

    return warnings


def render_status(console: "Console", report: "StatusReport") -> None:
    console.print(f"[bold]Status · {report.as_of.strftime('%A %-d %B %Y')}[/]")
    for name, section in SECTIONS:
        value = getattr(report, name, None)
        if value is None:
            continue
        section(console, value, report)
