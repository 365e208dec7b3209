"""Command-line interface: thin commands over services, reports and renderers."""

from __future__ import annotations


def main() -> None:
    import sys

    if "prompt" in sys.argv[1:4]:
        # The shell-prompt segment runs on every prompt: answered before typer or rich load.
        from recoverylog.prompt import run

        if run(sys.argv[1:]):
            return
    from recoverylog.cli.app import app

    app(prog_name="recoverylog")


def __getattr__(name: str):
    if name == "app":
        from recoverylog.cli.app import app

        return app
    raise AttributeError(name)
