"""The root command: global options, sub-command registration, and the one place
where errors become messages and exit codes."""

from __future__ import annotations

import sqlite3
from typing import Optional

import typer
from typer.core import TyperGroup

from recoverylog import __version__
from recoverylog.errors import RecoverylogError


class RecoverylogGroup(TyperGroup):
    """Turns every error a person can cause into one line on stderr and an exit code
    (0 ok, 1 input, 2 usage, 3 not found, 4 storage), never a traceback."""

    def invoke(self, ctx):
        from recoverylog.render.console import error

        try:
            return super().invoke(ctx)
        except RecoverylogError as exc:
            error(exc.message, exc.hint)
            ctx.exit(exc.exit_code)
        except sqlite3.Error as exc:
            error(f"Database error: {exc}. Nothing was changed.")
            ctx.exit(4)
        except KeyboardInterrupt:
            error("Stopped. Nothing was saved.")
            ctx.exit(130)
        finally:
            obj = ctx.obj
            if obj is not None and hasattr(obj, "close"):
                obj.close()


app = typer.Typer(
    cls=RecoverylogGroup,
    name="recoverylog",
    help="A private recovery journal: daily check-ins, days without use, meetings and goals. "
    "Everything stays in one local file unless you export it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"recoverylog {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Optional[str] = typer.Option(
        None, "--db", metavar="PATH", envvar=None,
        help="Database file (default: $RECOVERYLOG_DB, else $RECOVERYLOG_HOME/recoverylog.db, "
        "else your user data folder).",
    ),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    from recoverylog.cli.state import AppState

    ctx.obj = AppState(db_option=db)


# One module per noun; each has register(app). Order is the order in `--help`.
COMMAND_MODULES = ("checkin", "substance", "meeting", "goal", "report", "export", "importer", "review",
                   "plan", "contact", "support", "steps", "demo", "db", "config")


def _register() -> None:
    import importlib

    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"recoverylog.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"recoverylog.cli.{name}":
                continue  # not built yet
            raise
        module.register(app)


_register()
