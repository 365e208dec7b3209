"""The root command: global options, sub-command registration, and the one place
where errors become messages and exit codes."""

from __future__ import annotations

import sqlite3
from typing import Optional

import typer
from typer.core import TyperGroup

from recoverylog import __version__
from recoverylog.errors import RecoverylogError

try:  # typer 0.27 vendors click
    from typer._click.exceptions import UsageError as ClickUsageError
except ImportError:  # pragma: no cover - a typer that uses click itself
    from click.exceptions import UsageError as ClickUsageError


# What a command records, for "Stopped after saving: the use is recorded." (first words of the
# command line; anything not listed says "what you entered is recorded").
RECORDS = {
    "use": "the use", "checkin": "the check-in", "checkin delete": "the deletion",
    "checkin undo": "the undo", "substance": "the change", "substance add": "the substance",
    "meeting": "the change", "meeting add": "the meeting", "meeting requirement": "the requirement",
    "goal": "the change", "goal add": "the goal", "contact add": "the contact", "contact": "the change",
    "reached-out": "the outreach", "plan": "the plan change", "step": "the step",
    "uses": "the change", "config set": "the setting", "import": "the import", "demo": "the demo journal",
    "export": "the export and its log entry", "db restore": "the restore", "db migrate": "the migration",
}
INTERNAL_EXIT = 70  # EX_SOFTWARE: a bug, not something the person did


def _records(args: list[str]) -> str | None:
    """What the command line records, from its first words (root options skipped)."""
    words: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg == "--db":
            skip = True
            continue
        if arg.startswith("-"):
            if words:
                break
            continue
        words.append(arg)
        if len(words) == 2:
            break
    return RECORDS.get(" ".join(words[:2])) or RECORDS.get(words[0] if words else "")


def _saved(ctx=None) -> bool:
    from recoverylog import outcome

    return outcome.saved


def _output_encoding(exc: UnicodeEncodeError) -> bool:
    """Whether the failed encoding is the one stdout or stderr writes with (not a bug elsewhere)."""
    import codecs
    import sys

    def name(stream) -> str | None:
        encoding = getattr(stream, "encoding", None)
        try:
            return codecs.lookup(encoding).name if encoding else None
        except LookupError:
            return None

    try:
        failed = codecs.lookup(exc.encoding).name
    except LookupError:
        return False
    return failed in (name(sys.stdout), name(sys.stderr)) and isinstance(exc.object, str)


def _internal(ctx, exc: BaseException) -> None:
    """The last line of defence: one line naming a bug, never a traceback (unless RECOVERYLOG_DEBUG)."""
    import os

    from recoverylog.render.console import error

    if os.environ.get("RECOVERYLOG_DEBUG"):
        raise exc
    outcome = ("What you entered was saved before this happened." if _saved(ctx)
               else "Nothing was saved.")
    error(f"recoverylog hit an internal problem ({type(exc).__name__}); this is a bug, "
          f"please report it (RECOVERYLOG_DEBUG=1 shows the details). {outcome}")
    ctx.exit(INTERNAL_EXIT)


class RecoverylogGroup(TyperGroup):
    """Turns every error a person can cause into one line on stderr and an exit code
    (0 ok, 1 input, 2 usage, 3 not found, 4 storage, 130 Ctrl-C), never a traceback.
    Whether a COMMIT happened decides what an interruption or a late error says."""

    def parse_args(self, ctx, args):
        from recoverylog.errors import InputError
        from recoverylog.render.console import error
        from recoverylog.textcheck import check_argument

        try:
            previous = None
            for arg in args:
                option = arg.split("=", 1)[0] if arg.startswith("--") and "=" in arg else None
                label = option or (previous if previous and previous.startswith("-") and len(previous) < 40
                                   and previous.isprintable() else None)
                check_argument(arg, label)  # one rule for every typed value (docs/definitions.md §12)
                previous = arg
            from recoverylog import outcome

            outcome.reset()
            outcome.what = _records(list(args))
        except InputError as exc:
            error(exc.message)
            ctx.exit(1)
        return super().parse_args(ctx, args)

    def main(self, *args, **kwargs):
        """typer's own main turns a KeyboardInterrupt that reaches it into a silent exit 130
        (`except KeyboardInterrupt: raise Exit(130)`): a Ctrl-C in the steps it runs after the
        command (closing the contexts, `ctx.exit()`), or in our `invoke` outside its `try`
        (closing the database). Such an exit reaches here unexplained, often after a COMMIT:
        say what was saved (docs/definitions.md §12)."""
        from recoverylog import outcome
        from recoverylog.render.console import stopped

        outcome.told = False
        try:
            return super().main(*args, **kwargs)
        except SystemExit as exc:
            if exc.code == 130 and not outcome.told:
                stopped()
            raise
        except KeyboardInterrupt:  # raised inside typer's own exit handling
            if not outcome.told:
                stopped()
            raise SystemExit(130) from None

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except KeyboardInterrupt:
            from recoverylog.render.console import stopped

            stopped()  # before the command ran: "Nothing was saved."
            raise typer.Exit(130) from None

    def invoke(self, ctx):
        from recoverylog.render.console import error

        try:
            return super().invoke(ctx)
        except RecoverylogError as exc:
            error(exc.message, exc.hint)
            ctx.exit(exc.exit_code)
        except ClickUsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":
                raise  # a group typed alone shows its help
            # One line, like every other error: "--mood: 'abc' is not a valid integer", and where to look.
            where = exc.ctx.command_path if exc.ctx is not None else ctx.command_path
            error(f"{exc.format_message()} (see `{where} --help`)")
            ctx.exit(2)
        except sqlite3.Error as exc:
            if _saved(ctx):
                error(f"What you entered was saved, but then a database error followed: {exc}.")
            else:
                error(f"Database error: {exc}. Nothing was changed.")
            ctx.exit(4)
        except KeyboardInterrupt:
            from recoverylog.render.console import stopped

            stopped()
            ctx.exit(130)
        except BrokenPipeError:
            import os
            import sys

            # The reader went away (`| head`): stop quietly, as other command-line tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(141)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except UnicodeEncodeError as exc:
            if not _output_encoding(exc):
                _internal(ctx, exc)
            # Where output cannot hold a character (e.g. PYTHONIOENCODING=latin-1): say so, in ASCII.
            error(f"The output's text encoding ({exc.encoding}) cannot show a character recoverylog writes "
                  f"(U+{ord(exc.object[exc.start]):04X}). Use a UTF-8 locale or set PYTHONIOENCODING=utf-8 "
                  f"and run it again. " + ("What you entered was saved." if _saved(ctx) else "Nothing was saved."))
            ctx.exit(1)
        except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
            _internal(ctx, exc)
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


def set_completion(typer_app: typer.Typer, enabled: bool) -> None:
    """Turn typer's `--install-completion` / `--show-completion` (and the shell-completion
    set-up they need) on or off for the next run. Off when a command runs, so a check-in builds
    exactly what it built before (the cost is measured in README, "Shell completion")."""
    typer_app._add_completion = enabled


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


# Each top-level command and the cli/ module that defines it (one module per noun, each with
# register(app)). Order is the order in `--help`. A module is imported only when one of its
# commands runs (or for `--help`), so a check-in does not pay for building every other command.
COMMANDS = {
    "checkin": "checkin", "checkins": "checkin",
    "status": "status", "substance": "substance", "use": "substance", "uses": "substance",
    "sobriety": "sobriety",
    "meeting": "meeting",
    "goal": "goal", "report": "report",
    "export": "export", "import": "importer", "review": "review",
    "plan": "plan", "contact": "contact", "reached-out": "contact",
    "help-now": "support", "sos": "support",
    "step": "steps", "steps": "steps",
    "demo": "demo", "db": "db", "config": "config",
    "assess": "assess", "med": "med",
    "search": "search",
    "key": "key", "trust": "trust", "reply": "reply", "inbox": "reply",
    "prompt": "remind", "remind": "remind", "insights": "insights",
}

_loaded: dict[str, dict] = {}


def _module_commands(module_name: str) -> dict:
    """Build the click commands of one cli/ module (cached for the process)."""
    if module_name not in _loaded:
        import importlib

        module = importlib.import_module(f"recoverylog.cli.{module_name}")
        holder = typer.Typer(add_completion=False, rich_markup_mode=None)

        @holder.callback()
        def _holder() -> None:  # a callback makes typer build a group even for one command
            pass

        module.register(holder)
        group = typer.main.get_command(holder)
        for name, command in group.commands.items():
            _plain_metavars(command)
            _apply_conventions(command, name)
        _loaded[module_name] = dict(group.commands)
        from recoverylog.cli import startup_over

        startup_over()
    return _loaded[module_name]


def _apply_conventions(command, path: str) -> None:
    """The shared conventions of cli/conventions.py, applied to a command and its sub-commands:
    examples at the end of --help, `--json` for `--format json`, a pager for long output."""
    from recoverylog.cli import conventions

    epilog = conventions.epilog_for(path)
    if epilog and not command.epilog:
        command.epilog = epilog
    if path in conventions.JSON_ALIAS:
        _add_json_alias(command, conventions.JSON_ALIAS[path])
    if path in conventions.PAGED and command.callback is not None:
        command.callback = _paged(command.callback)
    for name, sub in (getattr(command, "commands", None) or {}).items():
        _apply_conventions(sub, f"{path} {name}")


def _add_json_alias(command, target: str) -> None:
    """`--json` on a command whose `--format` takes json: the same as `--format json`."""
    import functools

    if any("--json" in getattr(p, "opts", ()) for p in command.params):
        return
    from typer.core import TyperOption

    command.params.append(TyperOption(param_decls=["--json", "json_alias"], is_flag=True, default=False,
                                      help="The same as --format json."))
    original = command.callback

    @functools.wraps(original)
    def callback(*args, json_alias: bool = False, **kwargs):
        if json_alias:
            given = kwargs.get(target)
            if given not in (None, "table", "json") and str(given).strip().lower() != "json":
                from recoverylog.errors import UsageError

                raise UsageError(f"--json and --format {given} ask for two formats; give one.")
            kwargs[target] = "json"
        return original(*args, **kwargs)

    command.callback = callback


def _paged(original):
    import functools

    @functools.wraps(original)
    def callback(*args, **kwargs):
        from recoverylog.render.pager import paged_output

        with paged_output(_pager_setting):
            return original(*args, **kwargs)

    return callback


def _pager_setting() -> bool:
    """The `pager` setting of the database this run opened (on when none was opened)."""
    try:
        from typer._click.globals import get_current_context
    except ImportError:  # pragma: no cover - a typer that uses click itself
        from click import get_current_context

    ctx = get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    store = getattr(obj, "_store", None)
    return True if store is None else bool(store.settings.pager)


def _plain_metavars(command) -> None:
    """Show `--date DATE` and `NAME` in help, not typer's `<str>` and `{name}`."""
    import types

    for param in getattr(command, "params", []):
        if param.metavar is None and not getattr(param, "is_flag", False) and param.name:
            opts = [o for o in getattr(param, "opts", []) if o.startswith("--")]
            name = (max(opts, key=len)[2:] if opts and param.param_type_name == "option" else param.name).upper()
            param.metavar = f"{name}..." if getattr(param, "nargs", 1) == -1 else name
        if param.param_type_name == "argument":
            param.make_metavar = types.MethodType(_plain_argument_metavar, param)
    for sub in (getattr(command, "commands", None) or {}).values():
        _plain_metavars(sub)


def _plain_argument_metavar(self, ctx=None, *, usage: bool = False) -> str:
    """Usage lines show `ID` and `[NAME]` (optional), never typer's `{ID}`."""
    var = self.metavar or (self.name or "").upper()
    return f"[{var}]" if usage and not self.required and not var.startswith("[") else var


def _list_commands(self, ctx) -> list[str]:
    return list(COMMANDS)


def _get_command(self, ctx, name: str):
    module_name = COMMANDS.get(name)
    return None if module_name is None else _module_commands(module_name).get(name)


def _format_epilog(self, ctx, formatter) -> None:
    from recoverylog.cli.conventions import epilog_for

    self.epilog = epilog_for("")
    super(RecoverylogGroup, self).format_epilog(ctx, formatter)


RecoverylogGroup.format_epilog = _format_epilog
RecoverylogGroup.list_commands = _list_commands
RecoverylogGroup.get_command = _get_command
