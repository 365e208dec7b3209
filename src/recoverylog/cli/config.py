"""`config list|get|set`."""

from __future__ import annotations

import typer

from recoverylog.cli.state import state

config_app = typer.Typer(help="Settings: day-start hour, milestones, heavy-day threshold, drink size, crisis-line locale.",
                         no_args_is_help=True)


@config_app.command("list")
def list_settings(ctx: typer.Context, json_out: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Show every setting, its value and what it does."""
    from recoverylog.settings import DEFINITIONS
    from recoverylog.storage.settings_store import stored_keys

    store = state(ctx).store(create=False)
    values = store.settings.as_dict()
    if json_out:
        from recoverylog.render.jsonout import emit

        emit({"version": 1, "settings": values})
        return
    explicit = stored_keys(store)
    for key, definition in DEFINITIONS.items():
        mark = "" if key in explicit else "  (default)"
        typer.echo(f"{key.replace('_', '-')} = {definition.show(values[key])}{mark}")
        typer.echo(f"    {definition.help}")


@config_app.command("get")
def get(ctx: typer.Context, key: str = typer.Argument(..., metavar="KEY")) -> None:
    """Print one setting's value."""
    from recoverylog.settings import DEFINITIONS, resolve_key

    name = resolve_key(key)
    store = state(ctx).store(create=False)
    typer.echo(DEFINITIONS[name].show(store.settings.as_dict()[name]))


# ignore_unknown_options: a value such as "-1" is the VALUE (then refused with a reason), not an option.
@config_app.command("set", context_settings={"ignore_unknown_options": True})
def set_(ctx: typer.Context, key: str = typer.Argument(..., metavar="KEY"),
         value: str = typer.Argument(..., metavar="VALUE")) -> None:
    """Change a setting (it changes how things are shown, never your recorded data)."""
    from recoverylog.errors import InputError
    from recoverylog.render.console import info
    from recoverylog.settings import DEFINITIONS, resolve_key
    from recoverylog.storage.settings_store import save_setting

    name = resolve_key(key)
    try:
        DEFINITIONS[name].parse(value)  # refuse a bad value before the database is opened
    except InputError as exc:
        raise InputError(f"{name.replace('_', '-')}: {exc.message} Nothing was changed.") from None
    store = state(ctx).store()
    save_setting(store, name, value)
    info(f"{name.replace('_', '-')} = {DEFINITIONS[name].show(store.settings.as_dict()[name])}")


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config")
