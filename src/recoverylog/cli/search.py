"""`search TEXT`: find words in your check-in notes, gratitude, use notes, meeting notes and plan."""

from __future__ import annotations

from typing import Optional

import typer

from recoverylog.cli.state import parse_range, state


def search(
    ctx: typer.Context,
    text: str = typer.Argument(..., metavar="TEXT", help="Words to find (all of them; any punctuation is just text)."),
    since: Optional[str] = typer.Option(None, "--since", metavar="DATE", help="Only on or after this date."),
    until: Optional[str] = typer.Option(None, "--until", metavar="DATE", help="Only on or before this date."),
    limit: Optional[int] = typer.Option(None, "--limit", metavar="N", min=1, help="Show at most N matches (newest first)."),
    json_out: bool = typer.Option(False, "--json", help="Print the matches as JSON."),
) -> None:
    """Search your check-in notes, gratitude, use notes, meeting notes and plan, newest first."""
    from recoverylog.reports.search import search_notes

    start, end = parse_range(ctx, since, until)
    result = search_notes(state(ctx).store(create=False), text, since=start, until=end, limit=limit)
    if json_out:
        from recoverylog.render.jsonout import emit
        from recoverylog.render.search import hit_json

        emit({"version": 1, "query": text, "since": start, "until": end, "limited": result.limited,
              "matches": [hit_json(h) for h in result.hits]})
        return
    from recoverylog.render.console import make_console
    from recoverylog.render.search import render_search

    render_search(make_console(), result)


def register(app: typer.Typer) -> None:
    app.command("search")(search)
