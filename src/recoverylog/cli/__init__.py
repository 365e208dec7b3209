"""Command-line interface: thin commands over services, reports and renderers."""

from __future__ import annotations


def main() -> None:
    try:
        from recoverylog.cli.app import app

        app(prog_name="recoverylog")
    except KeyboardInterrupt:
        # Ctrl-C during start-up (imports) or after the command's own handler: no traceback.
        import sys

        from recoverylog import outcome

        sys.stderr.write(f"Error: {outcome.stopped_message()}\n")
        sys.exit(130)


def __getattr__(name: str):
    if name == "app":
        from recoverylog.cli.app import app

        return app
    raise AttributeError(name)
