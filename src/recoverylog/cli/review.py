"""`review FILE...`: read sponsor summaries someone sent you (untrusted files)."""

from __future__ import annotations

from pathlib import Path

import typer

FORMATS = ("table", "json", "markdown")


def review(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(..., metavar="FILE...", help="Sponsor summaries (JSON) to read."),
    fmt: str = typer.Option("table", "--format", "-f", help="table (terminal), json or markdown."),
) -> None:
    """Read sponsor summaries: one file in full, several as an overview (who may need a call first).

    Nothing is written anywhere and no database is opened."""
    from recoverylog.errors import UsageError
    from recoverylog.render.console import error
    from recoverylog.reports.review import review_files

    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        raise UsageError(f"Unknown format {fmt!r}: use table, json or markdown.")
    result = review_files(list(files), keep_views=len(files) == 1)  # one file is shown in full
    for problem in result.problems:
        error(problem.message)
    if fmt == "json":
        from recoverylog.render.jsonout import emit
        from recoverylog.reports.review import overview_json

        emit(overview_json(result))
    elif len(files) == 1 and result.summaries:
        only = result.summaries[0]
        if fmt == "markdown":
            import sys

            from recoverylog.render.summary_md import render_markdown

            sys.stdout.write(render_markdown(only.view))
        else:
            from recoverylog.render.console import make_console
            from recoverylog.render.review import render_summary

            render_summary(make_console(), only.view, only.path)
    elif result.overview:
        if fmt == "markdown":
            import sys

            from recoverylog.render.review import render_overview_markdown

            sys.stdout.write(render_overview_markdown(result))
        else:
            from recoverylog.render.console import make_console
            from recoverylog.render.review import render_overview

            render_overview(make_console(), result)
    if result.problems:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("review")(review)
