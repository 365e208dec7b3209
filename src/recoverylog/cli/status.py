"""`status`: the one-screen dashboard (its own module, so that running it builds no other command)."""

from __future__ import annotations

from typing import Optional

import typer

from recoverylog.cli.state import parse_day, state


def status(
    ctx: typer.Context,
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Show the dashboard as of this date."),
    json_out: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """The one-screen dashboard: check-ins, days without use, meetings, goals and your plan."""
    from recoverylog.reports.status import build_status

    day = parse_day(ctx, as_of, what="--as-of date")
    store = state(ctx).store(create=False)
    report = build_status(store, day)
    if json_out:
        from recoverylog.render.jsonout import emit
        from recoverylog.reports.status import status_json

        emit(status_json(report))
        return
    from recoverylog.render.console import screen_console
    from recoverylog.render.status import render_status

    render_status(screen_console(), report)


def register(app: typer.Typer) -> None:
    app.command("status")(status)
