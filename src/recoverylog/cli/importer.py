"""`import FILE`: read a full export back into an empty database."""

from __future__ import annotations

from pathlib import Path

import typer

from recoverylog.cli.state import state


def import_command(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help="A full export (recoverylog export --profile full)."),
) -> None:
    """Read a full JSON export into an empty database (a new machine, or a restore)."""
    from recoverylog.exports.full import import_document, read_full_file
    from recoverylog.render.console import info

    document = read_full_file(file, str(file))  # a malformed file is refused before a database is created
    store = state(ctx).store()
    counts = import_document(store, document, str(file))
    total = sum(counts.values())
    parts = ", ".join(f"{n} {t if n != 1 else t.removesuffix('s')}" for t, n in counts.items()
                      if n and t not in ("settings", "revisions", "exports"))
    info(f"Imported {total} rows from {file} into {store.path}" + (f" ({parts})." if parts else "."))


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
