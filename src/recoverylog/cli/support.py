"""`help-now` (alias `sos`): crisis lines for your locale, your coping steps, your people, your
reasons. It works with an empty, missing or unreadable database: the crisis lines always show."""

from __future__ import annotations

import typer

from recoverylog.cli.state import state


def help_now(
    ctx: typer.Context,
    json_out: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Help right now: crisis lines, your coping steps, the people you can call, your reasons."""
    import sqlite3

    from recoverylog.errors import RecoverylogError
    from recoverylog.render.support import HelpNowView
    from recoverylog.services.support import crisis_lines

    app_state = state(ctx)
    setting, own, problem = "", None, ""
    try:
        if app_state.db_path.exists():
            from recoverylog.storage.encryption import unlock_without_asking

            # An encrypted journal is opened only if that needs no passphrase: nothing is asked
            # before the crisis lines show (docs/definitions.md §13).
            store = app_state.store(create=False, key=unlock_without_asking(app_state.db_path))
            setting = store.settings.crisis_locale
            from recoverylog.services.plan import own_support

            own = own_support(store)
    except (RecoverylogError, sqlite3.Error, OSError, Exception) as exc:  # noqa: BLE001
        # Never let a storage problem (or anything else) hide the crisis lines.
        detail = getattr(exc, "message", str(exc))
        problem = ("Your own plan could not be read just now, so only the crisis lines are shown. "
                   f"({detail})")
    view = HelpNowView(crisis=crisis_lines(setting), own=own, problem=problem)
    if json_out:
        from recoverylog.render.jsonout import emit
        from recoverylog.render.support import help_now_json

        emit(help_now_json(view))
        return
    from recoverylog.render.console import make_console
    from recoverylog.render.support import render_help_now

    render_help_now(make_console(), view)


def register(app: typer.Typer) -> None:
    app.command("help-now")(help_now)
    app.command("sos", help="Same as help-now.")(help_now)
