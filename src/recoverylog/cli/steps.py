"""`step N --status …` and `steps`: 12-step (and similar) step work."""

from __future__ import annotations

from typing import Optional

import typer

from recoverylog.cli.state import parse_day, state


def step(
    ctx: typer.Context,
    number: str = typer.Argument(..., metavar="N", help="The step, 1–12."),
    status: str = typer.Option(..., "--status", "-s", help="not-started, in-progress or done."),
    program: Optional[str] = typer.Option(None, "--program", help="AA, NA, CA, … (default: the one you used last)."),
    date: Optional[str] = typer.Option(None, "--date", "-d", help="When (default: today)."),
    note: Optional[str] = typer.Option(None, "--note", help="A private note (never in a summary unless asked)."),
    json_out: bool = typer.Option(False, "--json", help="Print what was recorded as JSON."),
) -> None:
    """Record where you are with a step."""
    from recoverylog.services.steps import parse_status, parse_step, set_step

    parse_step(number)
    parse_status(status)
    store = state(ctx).store()
    day = parse_day(ctx, date)
    change = set_step(store, number, status, day, program=program, note=note)
    if json_out:
        from recoverylog.render.jsonout import emit

        emit({"version": 1} | {"program": change.program, "step": change.step, "status": change.status,
                               "date": change.date, "previous": change.previous, "recorded": change.recorded})
        return
    from recoverylog.render.console import make_console
    from recoverylog.render.plan import render_step_change

    render_step_change(make_console(stderr=True), change)


def steps(
    ctx: typer.Context,
    program: Optional[str] = typer.Option(None, "--program", help="Which program (default: the one used last)."),
    include_notes: bool = typer.Option(False, "--include-notes", help="Show your notes too."),
    json_out: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Your step work: the current step, and when each was started and finished."""
    from recoverylog.services.steps import step_progress

    progress = step_progress(state(ctx).store(create=False), program, include_notes=include_notes)
    if json_out:
        from recoverylog.render.jsonout import emit

        emit({"version": 1, "program": progress.program, "current": progress.current, "done": progress.done,
              "all_done": progress.all_done,
              "steps": [{"step": s.step, "status": s.status, "started": s.started, "finished": s.finished}
                        | ({"note": s.note} if include_notes else {}) for s in progress.steps]})
        return
    from recoverylog.render.console import make_console
    from recoverylog.render.plan import render_steps

    render_steps(make_console(), progress)


def register(app: typer.Typer) -> None:
    app.command("step")(step)
    app.command("steps")(steps)
