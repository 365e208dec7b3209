"""`demo`: a realistic, reproducible history in a new database, then its status and last report."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer

from recoverylog.cli.state import state

DEMO_FILENAME = "recoverylog-demo.db"


def demo(
    ctx: typer.Context,
    days: int = typer.Option(120, "--days", help="How many days of history (14–3660)."),
    db: Optional[Path] = typer.Option(None, "--db", metavar="PATH",
                                      help=f"The new database to write (default: {DEMO_FILENAME} next to "
                                           "your journal; your own journal is never touched)."),
    seed: int = typer.Option(7, "--seed", help="Another seed gives another (still reproducible) history."),
) -> None:
    """See what recoverylog does before logging anything: writes a made-up history into a NEW
    database (never into one that holds data) and shows its status and last week's report."""
    from recoverylog.errors import InputError
    from recoverylog.render.console import info, make_console
    from recoverylog.storage.db import open_store

    app_state = state(ctx)
    path = db.expanduser() if db is not None else app_state.db_path.with_name(DEMO_FILENAME)
    if not MIN_OK(days):
        raise InputError(f"--days {days} is out of range: use 14–3660.")
    if path.exists() and path.stat().st_size > 0:
        # Refuse before writing a byte: open without migrating to look.
        probe = open_store(path, app_state.clock, create=False, migrate=False)
        try:
            from recoverylog.storage.pragmas import user_version

            version = user_version(probe)
            if version and not probe.is_empty():
                raise InputError(f"{path} already holds data; the demo only writes into a new database. "
                                 "Nothing was changed. Choose another file with --db PATH.")
        finally:
            probe.close()
    store = open_store(path, app_state.clock)
    try:
        from recoverylog.services.demo import write_demo

        with demo_progress() as progress:
            result = write_demo(store, days, seed, progress=progress)
        from recoverylog.render.report import render_report
        from recoverylog.render.status import render_status
        from recoverylog.reports.period import resolve_period
        from recoverylog.reports.report import build_report
        from recoverylog.reports.status import build_status

        console = make_console()
        render_status(console, build_status(store, result.end))
        console.print()
        render_report(console, build_report(store, resolve_period(result.end), result.end))
    finally:
        store.close()
    info(f"Wrote a made-up history of {days} days ({result.start.isoformat()} to {result.end.isoformat()}: "
         f"{result.checkins} check-ins, {result.meetings} meetings, {result.goals} goals) to {path}.")
    info(f"Explore it with `recoverylog --db {path} report --month` or `... status`; "
         "your own journal was not touched.")


@contextmanager
def demo_progress(console=None):
    """A progress bar on stderr while the days are written, on a terminal only (rich.progress is
    imported only then); elsewhere nothing is drawn. Yields the callback for write_demo."""
    import sys

    if console is None and not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from recoverylog.render.console import make_console

    with Progress(TextColumn("Writing made-up days"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console or make_console(stderr=True), transient=True) as bar:
        task = bar.add_task("days", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def MIN_OK(days: int) -> bool:
    return 14 <= days <= 3660


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
