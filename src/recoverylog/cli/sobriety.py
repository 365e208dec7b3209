"""`sobriety` (its own module, so that running it builds none of the substance and use commands)."""

from __future__ import annotations

from typing import Optional

import typer

from recoverylog.cli.state import parse_day, state


def sobriety(
    ctx: typer.Context,
    name: Optional[str] = typer.Argument(None, help="One substance (default: every active one)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Count as of this date (records after it are ignored)."),
    json_out: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Continuous days, sober days, milestones and the full history of periods, per substance."""
    from recoverylog.reports.sobriety import build_substance_reports

    day = parse_day(ctx, as_of, what="--as-of date")
    store = state(ctx).store(create=False)
    if name:
        from recoverylog.services.substances import find_substance

        chosen = [find_substance(store, name)]
    else:
        chosen = None
    reports = build_substance_reports(store, day, chosen)
    if json_out:
        from recoverylog.render.jsonout import emit

        emit({"version": 1, "as_of": day, "substances": reports})
        return
    from recoverylog.render.console import screen_console
    from recoverylog.render.sobriety import render_sobriety

    render_sobriety(screen_console(), reports, day)


def register(app: typer.Typer) -> None:
    app.command("sobriety")(sobriety)
