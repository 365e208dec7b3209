"""`db path|status|migrate|backup|restore|datasette-metadata`."""

from __future__ import annotations

from pathlib import Path

import typer

from recoverylog.cli.state import state

db_app = typer.Typer(help="Where your data is, backups, restoring one, and schema migrations.", no_args_is_help=True)


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
    store = open_store(app_state.db_path, app_state.clock, create=False, migrate=False)
    try:
        if list_only:
            for name, applied_at in applied_migrations(store):
                typer.echo(f"applied  {name}  {applied_at}")
            for name in pending_migrations(store):
                typer.echo(f"pending  {name}")
            return
        store.check_integrity()  # never migrate a damaged file (docs/definitions.md §12)
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
def backup(ctx: typer.Context, target: str = typer.Argument(..., metavar="PATH", help="Where to write the copy."),
           force: bool = typer.Option(False, "--force", help="Replace an existing file (never a device, "
                                      "folder or pipe).")) -> None:
    """Write a consistent copy of the database (SQLite VACUUM INTO), mode 0600, after checking
    that the database is sound. The copy appears whole or not at all."""
    from recoverylog.outfile import check_target
    from recoverylog.render.console import info
    from recoverylog.storage.db import backup as do_backup

    check_target(target, force=force, what="backup file")  # before opening anything
    store = state(ctx).store(create=False)
    written = do_backup(store, Path(target), force=force)
    info(f"Backed up {store.path} to {written}.")


@db_app.command("restore")
def restore(ctx: typer.Context,
            backup_file: str = typer.Argument(..., metavar="BACKUP", help="A backup made by `recoverylog db backup`.")) -> None:
    """Replace your journal with a backup. The backup is checked first (a sound recoverylog
    database this version reads); your current file, damaged or not, is kept next to it as
    *.before-restore-*.bak; then the backup takes its place in one step."""
    from recoverylog.limits import check_path
    from recoverylog.render.console import info
    from recoverylog.storage.db import restore as do_restore

    app_state = state(ctx)
    source = check_path(backup_file, "backup file")
    kept = do_restore(app_state.db_path, source, app_state.clock)
    if kept is not None:
        info(f"Your previous journal was kept as {kept}.")
    info(f"Restored {app_state.db_path} from {source}.")


@db_app.command("datasette-metadata")
def datasette_metadata(ctx: typer.Context) -> None:
    """Print a Datasette metadata.json: what each table and column holds, contacts labelled by alias."""
    from recoverylog.render.jsonout import emit
    from recoverylog.storage.schema_docs import datasette_metadata as build
    from recoverylog.storage.schema_docs import stored_schema

    store = state(ctx).store(create=False)
    emit(build(stored_schema(store), store.path.stem))


def register(app: typer.Typer) -> None:
    from recoverylog.cli.db_encrypt import add_commands  # db encrypt | decrypt | passphrase

    add_commands(db_app)
    app.add_typer(db_app, name="db")
