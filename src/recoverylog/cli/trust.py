"""`trust add|list|remove`: the public keys you compared with their owner in person or by phone."""

from __future__ import annotations

import typer

from recoverylog.cli.state import state

trust_app = typer.Typer(help="Keys you trust: `review` and `inbox add` name a file's signer only when its key "
                             "is here. Add a key only after comparing its fingerprint with its owner in person "
                             "or by phone.", no_args_is_help=True)


@trust_app.command("add")
def add(ctx: typer.Context,
        source: str = typer.Argument(..., metavar="FILE-OR-KEY",
                                     help="A public key file (`key export-public`), a signed summary or reply, "
                                          "or the key itself (base64 or hex)."),
        name: str = typer.Option(..., "--name", help="Who the key belongs to, as you know them, e.g. Alex.")) -> None:
    """Trust a key. Prints its fingerprint: compare it with the owner's `recoverylog key show`."""
    from recoverylog.render.console import info
    from recoverylog.services.trust import add as add_key

    key = add_key(state(ctx).store(), source, name)
    typer.echo(f"Fingerprint: {key.fingerprint}")
    info(f"Trusted as {key.name}. Compare the fingerprint above with what {key.name} reads you from "
         "`recoverylog key show`; if it differs, `recoverylog trust remove` it.")


@trust_app.command("list")
def list_keys(ctx: typer.Context, json_out: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List the keys you trust, with their fingerprints."""
    from recoverylog.services.trust import list_keys as keys

    app_state = state(ctx)
    rows = keys(app_state.store()) if app_state.db_path.exists() else []  # a read creates no journal
    if json_out:
        from recoverylog.render.jsonout import emit

        emit([k.as_json() for k in rows])
        return
    if not rows:
        typer.echo("No trusted keys yet. `recoverylog trust add FILE --name NAME` adds one.")
        return
    from recoverylog.render.console import strip_control

    width = max(len(k.name) for k in rows)
    for k in rows:
        typer.echo(f"{strip_control(k.name).ljust(width)}  {k.fingerprint}  (added {k.added_at[:10]})")


@trust_app.command("remove")
def remove(ctx: typer.Context, name: str = typer.Argument(..., help="The name given with `trust add`.")) -> None:
    """Stop trusting a key (files it signed then review as signed by a key not in your list)."""
    from recoverylog.render.console import info
    from recoverylog.services.trust import remove as remove_key

    key = remove_key(state(ctx).store(), name)
    info(f"Removed {key.name} ({key.fingerprint}) from your trusted keys.")


def register(app: typer.Typer) -> None:
    app.add_typer(trust_app, name="trust")
