"""Command-line interface: thin commands over services, reports and renderers."""

from __future__ import annotations

import os
import sys

PROG = "recoverylog"
COMPLETE_VAR = "_RECOVERYLOG_COMPLETE"


def completion_wanted(argv: list[str], environ=os.environ) -> bool:
    """Build the shell-completion machinery only when it can be used: the shell asking for
    completions, or a root-level call (`--install-completion`, `--show-completion`, `--help`, no
    command). Running a command (`checkin …`) takes the fast path without it."""
    if environ.get(COMPLETE_VAR):
        return True
    from recoverylog.cli.app import COMMANDS

    skip = False
    for word in argv:
        if skip:
            skip = False
            continue
        if word == "--db":
            skip = True
        elif word in COMMANDS:
            return False
    return True


def main() -> None:
    if "prompt" in sys.argv[1:4]:
        # The shell-prompt segment runs on every prompt: answered before typer or rich load.
        from recoverylog.prompt import run

        if run(sys.argv[1:]):
            return
    from recoverylog.cli.app import app, set_completion

    set_completion(app, completion_wanted(sys.argv[1:]))
    app(prog_name=PROG)


def __getattr__(name: str):
    if name == "app":
        from recoverylog.cli.app import app

        return app
    raise AttributeError(name)
