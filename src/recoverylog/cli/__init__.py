"""Command-line interface: thin commands over services, reports and renderers."""

from __future__ import annotations


def main() -> None:
    import signal

    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)  # see recoverylog/__init__.py
    except (ValueError, OSError):
        pass
    try:
        from recoverylog.cli.app import app

        app(prog_name="recoverylog")
    except KeyboardInterrupt:
        # Ctrl-C during start-up (imports) or after the command's own handler: no traceback.
        import sys

        from recoverylog import outcome

        _ignore_ctrl_c()
        sys.stderr.write(f"Error: {outcome.stopped_message()}\n")
        sys.exit(130)
    finally:
        _ignore_ctrl_c()  # the command is over: a Ctrl-C while Python shuts down changes nothing


def _ignore_ctrl_c() -> None:
    import signal

    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except (ValueError, OSError):
        pass


def __getattr__(name: str):
    if name == "app":
        from recoverylog.cli.app import app

        return app
    raise AttributeError(name)
