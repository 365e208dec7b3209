"""`key init|show|export-public|export-private|import-private`: this journal's signing key."""

from __future__ import annotations

from pathlib import Path

import typer

from recoverylog.cli.state import state

key_app = typer.Typer(help="Your signing key: it lets a sponsor or a court check that a summary came from you "
                           "and was not changed. The private part never leaves this machine in any export.",
                      no_args_is_help=True)

PRIVATE_WARNING = ("This file is your PRIVATE signing key: anyone who holds it can sign summaries as you. "
                   "Carry it to your new machine yourself, run `recoverylog key import-private FILE` there, "
                   "then delete this file. Never send it to anyone.")


def write_output(path: Path, text: str, *, force: bool, what: str = "output file") -> Path:
    """Write a file a person named (mode 0600, atomically), through the project's one output writer
    (recoverylog.outfile, docs/definitions.md §12) when this version has it."""
    try:
        from recoverylog.outfile import check_target, write_text
    except ImportError:  # a version without the shared writer
        return _write_with_export_writer(path, text, force=force)
    target = check_target(path, force=force, what=what)
    write_text(target, text)
    return target


def _write_with_export_writer(path: Path, text: str, *, force: bool) -> Path:
    from recoverylog.cli.export import write_private_file
    from recoverylog.errors import InputError

    target = path.expanduser()
    if target.is_dir():
        raise InputError(f"{path} is a folder; give a file name. Nothing was written.")
    if target.exists() and not force:
        raise InputError(f"{path} already exists; nothing was written. Use --force to replace it.")
    write_private_file(target, text)
    return target


@key_app.command("init")
def init(ctx: typer.Context,
         replace: bool = typer.Option(False, "--replace", help="Make a new key even though one exists "
                                      "(the old one is kept beside it; people who trusted it must add the new one).")
         ) -> None:
    """Make a signing key pair for this journal (kept beside the database, readable only by you)."""
    from recoverylog.render.console import info
    from recoverylog.services.keys import init_key

    made = init_key(state(ctx).db_path, replace=replace)
    typer.echo(f"Fingerprint: {made.fingerprint}")
    info(f"Made a signing key ({made.key_file}, only you can read it). Sponsor and court JSON exports are "
         "now signed. Read the fingerprint to your sponsor once, in person or by phone; "
         "`recoverylog key export-public FILE` writes the public key for them.")


@key_app.command("show")
def show(ctx: typer.Context, json_out: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Show your public key and its fingerprint (short enough to read aloud)."""
    from recoverylog.services.keys import show_key

    key = show_key(state(ctx).db_path)
    if json_out:
        from recoverylog.render.jsonout import emit

        emit(key.as_json())
        return
    typer.echo(f"Fingerprint: {key.fingerprint}")
    typer.echo(f"Public key:  {key.public_key} ({key.alg})")
    typer.echo(f"Private key: {key.key_file} (never in any export)")


@key_app.command("export-public")
def export_public(ctx: typer.Context,
                  file: Path = typer.Argument(..., metavar="FILE", help="Where to write the public key (PEM)."),
                  force: bool = typer.Option(False, "--force", help="Replace an existing FILE.")) -> None:
    """Write your public key for someone else (`recoverylog trust add FILE --name …` on their side)."""
    from recoverylog.render.console import info
    from recoverylog.services.keys import public_key_pem

    key, pem = public_key_pem(state(ctx).db_path)
    write_output(file, pem, force=force, what="key file")
    info(f"Wrote your public key to {file}. Fingerprint: {key.fingerprint}: they should compare it with "
         "you once, in person or by phone.")


@key_app.command("export-private")
def export_private(ctx: typer.Context,
                   file: Path = typer.Argument(..., metavar="FILE", help="Where to write the private key."),
                   force: bool = typer.Option(False, "--force", help="Replace an existing FILE.")) -> None:
    """Copy your PRIVATE key to a file, to move it to a new machine. Keep that file to yourself."""
    from recoverylog.render.console import info
    from recoverylog.services.keys import private_key_pem

    key, pem = private_key_pem(state(ctx).db_path)
    write_output(file, pem.decode("ascii"), force=force, what="key file")
    info(f"Warning: {PRIVATE_WARNING}")
    info(f"Wrote the private key (fingerprint {key.fingerprint}) to {file}, readable only by you.")


@key_app.command("import-private")
def import_private(ctx: typer.Context,
                   file: Path = typer.Argument(..., metavar="FILE", help="A key written by `key export-private`."),
                   replace: bool = typer.Option(False, "--replace", help="Replace a different key this journal "
                                                "already has (the old one is kept beside it).")) -> None:
    """Take a private key from another machine as this journal's signing key."""
    from recoverylog.render.console import info
    from recoverylog.services.keys import import_private as take

    key = take(state(ctx).db_path, file, replace=replace)
    typer.echo(f"Fingerprint: {key.fingerprint}")
    info(f"This journal now signs with that key ({key.key_file}). Delete {file} once you are sure it worked.")


def register(app: typer.Typer) -> None:
    app.add_typer(key_app, name="key")
