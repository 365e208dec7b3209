"""`db path|status|migrate|backup|datasette-metadata`."""

from __future__ import annotations

from pathlib import Path

import typer

from recoverylog.cli.state import state

db_app = typer.Typer(help="Where your data is, backups, and schema migrations.", no_args_is_help=True)


@db_app.command("path")
def path(ctx: typer.Context) -> None:
    """Print the database file's path (nothing is created)."""
    typer.echo(str(state(ctx).db_path))


@db_app.command("migrate")
def migrate(ctx: typer.Context, list_only: bool = typer.Option(False, "--list", help="List applied and pending migrations; change nothing.")) -> None:
    """Bring the database schema up to date (a backup is made first when it holds data)."""
    from recoverylog.render.console import info
    from recoverylog.storage.db import applied_migrations, migrate_store, open_store, pending_migrations

    app_state = state(ctx)
    store = open_store(app_state.db_path, app_state.clock, create=not list_only, migrate=False)
    try:
        if list_only:
            for name, applied_at in applied_migrations(store):
                typer.echo(f"applied  {name}  {applied_at}")
            for name in pending_migrations(store):
                typer.echo(f"pending  {name}")
            return
        pending = pending_migrations(store)
        if not pending:
            info("The database is up to date; nothing to do.")
            return
        backup_path = migrate_store(store)
        if backup_path:
            info(f"Backed up to {backup_path} first.")
        info(f"Applied {len(pending)} migration{'s' if len(pending) != 1 else ''}: {', '.join(pending)}.")
    finally:
        store.close()


@db_app.command("backup")
def backup(ctx: typer.Context, target: Path = typer.Argument(..., metavar="PATH", help="Where to write the copy."),
           force: bool = typer.Option(False, "--force", help="Replace an existing file.")) -> None:
    """Write a consistent copy of the database (SQLite VACUUM INTO), mode 0600."""
    from recoverylog.render.console import info
    from recoverylog.storage.db import backup as do_backup

    store = state(ctx).store(create=False)
    written = do_backup(store, target, force=force)
    info(f"Backed up {store.path} to {written}.")


@db_app.command("datasette-metadata")
def datasette_metadata(ctx: typer.Context) -> None:
    """Print a Datasette metadata.json: what each table and column holds, contacts labelled by alias."""
    from recoverylog.render.jsonout import emit
    from recoverylog.storage.schema_docs import datasette_metadata as build
    from recoverylog.storage.schema_docs import stored_schema

    store = state(ctx).store(create=False)
    emit(build(stored_schema(store), store.path.stem))


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
