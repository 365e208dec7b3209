"""`review FILE...`: read sponsor summaries someone sent you (untrusted files)."""

from __future__ import annotations

from pathlib import Path

import typer

FORMATS = ("table", "json", "markdown")


def review(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(..., metavar="FILE...", help="Sponsor summaries or court sheets (JSON) to read."),
    fmt: str = typer.Option("table", "--format", "-f", help="table (terminal), json or markdown."),
) -> None:
    """Read sponsor summaries and court sheets: one file in full, several as an overview (who may need
    a call first). Each file's signature is checked against your trusted keys (`trust list`).

    Nothing is written anywhere; your database is only read (for the trust list), never created."""
    from recoverylog.errors import UsageError
    from recoverylog.render.console import error
    from recoverylog.reports.review import review_files

    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        raise UsageError(f"Unknown format {fmt!r}: use table, json or markdown.")
    result = review_files(list(files), _trusted(ctx), keep_views=len(files) == 1)  # one file is shown in full
    for problem in result.problems:
        error(problem.message)
    if fmt == "json":
        from recoverylog.render.jsonout import emit
        from recoverylog.reports.review import overview_json

        emit(overview_json(result))
    elif len(files) == 1 and result.court_sheets:
        only = result.court_sheets[0]
        if fmt == "markdown":
            import sys

            from recoverylog.render.review import render_court_markdown

            sys.stdout.write(render_court_markdown(only))
        else:
            from recoverylog.render.console import make_console
            from recoverylog.render.review import render_court

            render_court(make_console(), only)
    elif len(files) == 1 and result.summaries:
        only = result.summaries[0]
        if fmt == "markdown":
            import sys

            from recoverylog.render.review import signature_line
            from recoverylog.render.summary_md import md, render_markdown

            sys.stdout.write(f"> **{md(signature_line(only.signature, only.path))}**\n\n" + render_markdown(only.view))
        else:
            from recoverylog.render.console import make_console
            from recoverylog.render.review import render_summary

            render_summary(make_console(), only.view, only.path, only.signature)
    elif result.overview or result.court_sheets:
        if fmt == "markdown":
            import sys

            from recoverylog.render.review import render_overview_markdown

            sys.stdout.write(render_overview_markdown(result))
        else:
            from recoverylog.render.review import overview_console, render_overview

            render_overview(overview_console(), result)
    if result.problems:
        raise typer.Exit(1)


def _trusted(ctx: typer.Context) -> dict[str, str]:
    """The reader's trust list (public key → name), from their database if they have one."""
    from recoverylog.cli.state import state
    from recoverylog.errors import RecoverylogError

    app_state = state(ctx)
    if not app_state.db_path.exists():
        return {}
    try:
        from recoverylog.storage.trust import trusted_by_key

        return trusted_by_key(app_state.store(create=False))
    except RecoverylogError as exc:
        from recoverylog.render.console import info

        info(f"Your trust list could not be read ({exc.message}); signed files show as not trusted.")
        return {}


def register(app: typer.Typer) -> None:
    app.command("review")(review)
