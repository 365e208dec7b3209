"""`goal add|list|done|archive`."""

from __future__ import annotations

from typing import Optional

import typer

from recoverylog.cli.options import LIMIT, first, newest  # noqa: F401
from recoverylog.cli.state import parse_day, state

goal_app = typer.Typer(help="Goals with progress: meetings, check-ins, sober days, outreach, or your own (manual).",
                       no_args_is_help=True)


@goal_app.command("add")
def add(
    ctx: typer.Context,
    title: str = typer.Argument(..., help="What you aim for, e.g. \"3 meetings a week\"."),
    metric: str = typer.Option("manual", "--metric", help="meetings, checkins, sober-days, outreach or manual."),
    substance: Optional[str] = typer.Option(None, "--substance", help="The substance (sober-days goals)."),
    target: Optional[float] = typer.Option(None, "--target", help="How many per period."),
    every_day: bool = typer.Option(False, "--every-day", help="Every day of the period (the target is its days)."),
    per: Optional[str] = typer.Option(None, "--per", help="week, month or total (default: week; total with --due or for manual goals)."),
    start: Optional[str] = typer.Option(None, "--start", help="First day (default: today)."),
    due: Optional[str] = typer.Option(None, "--due", help="Last day (may be in the future)."),
    json_out: bool = typer.Option(False, "--json", help="Print the new goal's progress as JSON."),
) -> None:
    """Add a goal."""
    from recoverylog.reports.goals import goal_progress
    from recoverylog.services.goals import GoalInput, add_goal
    from recoverylog.storage import goals as goal_rows

    store = state(ctx).store()
    goal = GoalInput(
        title=title, metric=metric, substance=substance, target=target, every_day=every_day, per=per,
        start=parse_day(ctx, start, what="--start date", default_today=False, allow_future=True),
        due=parse_day(ctx, due, what="--due date", default_today=False, allow_future=True))
    goal_id = add_goal(store, goal)
    today = store.today()
    row = goal_rows.get(store, goal_id)
    if json_out:
        from recoverylog.render.jsonout import emit

        emit(goal_progress(store, row, today).as_json() if row["start"] <= today.isoformat() else row)
        return
    from recoverylog.render.console import info

    info(f"Added goal #{goal_id}: {row['title']}. `recoverylog goal list` shows its progress.")


@goal_app.command("list")
def list_goals(
    ctx: typer.Context,
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Show progress as of this day (not in the future)."),
    limit: Optional[int] = LIMIT,
    json_out: bool = typer.Option(False, "--json", help="Print the goals as JSON."),
) -> None:
    """Active goals with their progress in the current period."""
    from recoverylog.reports.goals import goals_on

    store = state(ctx).store(create=False)
    day = parse_day(ctx, as_of, what="--as-of date")
    goals = first(goals_on(store, day), limit)
    if json_out:
        from recoverylog.render.jsonout import emit

        emit([g.as_json() for g in goals])
        return
    from recoverylog.render.console import make_console
    from recoverylog.render.goals import render_goal_list

    render_goal_list(make_console(), goals)


@goal_app.command("done")
def done(
    ctx: typer.Context,
    goal: str = typer.Argument(..., metavar="TITLE|ID"),
    date: Optional[str] = typer.Option(None, "--date", help="The day it was done (default: today)."),
) -> None:
    """Mark a manual goal done."""
    from recoverylog.render.console import info
    from recoverylog.services.goals import mark_done

    store = state(ctx).store()
    row, changed = mark_done(store, goal, parse_day(ctx, date, what="date"))
    if changed:
        info(f"Goal #{row['id']} “{row['title']}” done on {row['done_on']}. Well done.")
    else:
        info(f"Goal #{row['id']} “{row['title']}” was already marked done on {row['done_on']}; nothing changed.")


@goal_app.command("archive")
def archive(ctx: typer.Context, goal: str = typer.Argument(..., metavar="TITLE|ID")) -> None:
    """Put a goal away (its history stays)."""
    from recoverylog.render.console import info
    from recoverylog.services.goals import archive as archive_goal

    store = state(ctx).store()
    row, changed = archive_goal(store, goal, store.today())
    if changed:
        info(f"Archived goal #{row['id']} “{row['title']}”. Its history stays in your records.")
    else:
        info(f"Goal #{row['id']} “{row['title']}” was already archived on {row['archived_on']}; nothing changed.")


def register(app: typer.Typer) -> None:
    app.add_typer(goal_app, name="goal")
