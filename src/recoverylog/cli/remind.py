"""`prompt` (a shell-prompt segment) and `remind` (a daily reminder to check in)."""

from __future__ import annotations

import os
from typing import Optional

import typer

from recoverylog.cli.state import state


def prompt(
    ctx: typer.Context,
    marker: str = typer.Option("[check in]", "--marker", metavar="TEXT",
                               help="What to show when today's check-in is missing."),
) -> None:
    """For your shell prompt: prints a short marker when today's check-in is missing, nothing when
    it is done, and nothing on any problem. It only reads (never creates a file). Snippets for
    bash, zsh and fish are in the README."""
    from recoverylog.prompt import segment

    # Normally answered by the fast path in recoverylog.cli.main before typer loads; this is the
    # same answer for `python -m recoverylog prompt` with other options and for tests.
    text = segment(state(ctx).db_option, marker)
    if text:
        typer.echo(text, nl=False)


def remind(
    ctx: typer.Context,
    at: Optional[str] = typer.Option(None, "--at", metavar="HH:MM",
                                     help="Install a daily reminder at this time (24-hour)."),
    show: bool = typer.Option(False, "--print", help="With --at: show what would be installed; change nothing."),
    off: bool = typer.Option(False, "--off", help="Remove the reminder."),
    notify: bool = typer.Option(False, "--notify", help="What the reminder runs: a desktop notification, "
                                "only when today's check-in is missing."),
    via: str = typer.Option("auto", "--via", help="auto (a systemd user timer when a user session exists, "
                            "else a crontab line), systemd or cron."),
) -> None:
    """A daily reminder to check in. `remind --at 20:30` installs it, `--print` shows it first,
    `--off` removes it, and `remind` alone says what is installed."""
    from recoverylog.render.console import info
    from recoverylog.services import remind as service

    service.check_options(at, off, notify, show)
    env = dict(os.environ)
    db = state(ctx).db_path
    if notify:
        outcome = service.notify_if_missing(db, env)
        if outcome == "no-notifier":
            info(f"{service.NOTIFY_BODY} (notify-send is not installed, so no desktop notification was shown.)")
        elif outcome == "not-shown":
            info(f"{service.NOTIFY_BODY} (notify-send could not show a desktop notification: is a desktop session running?)")
        elif outcome == "done":
            info("Today's check-in is done: no reminder needed.")
        elif outcome == "sent":
            info("Reminder shown: today's check-in is not recorded yet.")
        else:
            from recoverylog.storage.encryption import is_encrypted

            if not is_encrypted(db):  # a locked encrypted journal: say nothing (docs/definitions.md §13)
                info(f"No journal could be read at {db}; no reminder was shown.")
        return
    if off:
        found = service.remove(env)
        if found.via is None:
            info("No reminder was installed; nothing was changed.")
        else:
            info(f"Removed the daily reminder ({_what(found)}).")
        return
    if at is None:
        found = service.installed(env)
        if found.via is None:
            info("No reminder is installed. `recoverylog remind --at 20:30` sets one up "
                 "(`--print` shows it first).")
        else:
            info(f"A daily reminder is installed: {_what(found)}. `recoverylog remind --off` removes it.")
        return
    reminder = service.plan(at, db, env, via)
    if show:
        from recoverylog.render.remind import render_plan

        render_plan(reminder)
        return
    service.install(reminder, env)
    where = ("a systemd user timer" if reminder.via == "systemd" else "a line in your crontab")
    info(f"Installed a daily reminder at {reminder.at} ({where}). It notifies you only when that day's "
         "check-in is missing. `recoverylog remind --off` removes it.")


def _what(found) -> str:
    at = f" at {found.at}" if found.at else ""
    return f"systemd user timer{at}, {found.where}" if found.via == "systemd" else f"crontab line{at}"


def register(app: typer.Typer) -> None:
    app.command("prompt")(prompt)
    app.command("remind")(remind)
