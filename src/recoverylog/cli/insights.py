"""`insights`: what went together in your record (mood and craving with and without a factor)."""

from __future__ import annotations

from typing import Optional

import typer

from recoverylog.cli.state import parse_range, state


def insights(
    ctx: typer.Context,
    since: Optional[str] = typer.Option(None, "--since", help="First day to look at (default: 90 days before --until)."),
    until: Optional[str] = typer.Option(None, "--until", help="Last day to look at (default: today)."),
    json_out: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """What went together: your mood and craving on days with a meeting, outreach, each HALT
    feeling or short sleep against days without, and by weekday. It shows what went together,
    not what caused it; a comparison needs at least 5 days on each side."""
    from recoverylog.reports.insights import build_insights, default_range

    start, end = parse_range(ctx, since, until)
    app_state = state(ctx)
    store = app_state.store()
    first, last = default_range(store.today(), start, end)
    if first > last:
        from recoverylog.errors import InputError

        raise InputError(f"--since {first.isoformat()} is after {last.isoformat()}; nothing to compare.")
    result = build_insights(store, first, last)
    if json_out:
        from recoverylog.render.jsonout import emit
        from recoverylog.reports.insights import insights_json

        emit(insights_json(result))
        return
    from recoverylog.render.console import make_console
    from recoverylog.render.insights import render_insights

    render_insights(make_console(), result)


def register(app: typer.Typer) -> None:
    app.command("insights")(insights)
