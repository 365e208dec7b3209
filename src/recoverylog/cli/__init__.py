"""Command-line interface: thin commands over services, reports and renderers."""

from __future__ import annotations


def main() -> None:
    from recoverylog.cli.app import app

    app(prog_name="recoverylog")


def __getattr__(name: str):
    if name == "app":
        from recoverylog.cli.app import app

        return app
    raise AttributeError(name)
