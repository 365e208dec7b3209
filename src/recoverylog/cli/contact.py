"""`contact add|list|edit|remove` and `reached-out`."""

from __future__ import annotations

from typing import Optional

import typer

from recoverylog.cli.options import LIMIT, first, newest  # noqa: F401
from recoverylog.cli.state import parse_day, state

contact_app = typer.Typer(
    help="Your support network, by alias: sponsor, peers, counselor, family. "
    "Phone numbers stay on this machine.",
    no_args_is_help=True,
)

ROLE_HELP = "sponsor, sponsee, peer, coach, counselor, prescriber, family, friend or other."


def _show(change) -> None:
    from recoverylog.render.console import make_console
    from recoverylog.render.support import render_contact_change

    render_contact_change(make_console(stderr=True), change)


@contact_app.command("add")
def add(
    ctx: typer.Context,
    alias: str = typer.Argument(..., metavar="ALIAS", help="A first name, nickname or initials."),
    role: str = typer.Option(..., "--role", "-r", help=ROLE_HELP),
    phone: Optional[str] = typer.Option(None, "--phone", help="Phone number (shown locally only, never exported)."),
    note: Optional[str] = typer.Option(None, "--note", help="A private note."),
) -> None:
    """Add someone you can reach out to."""
    from recoverylog.services.contacts import add_contact

    _show(add_contact(state(ctx).store(), alias, role, phone, note))


@contact_app.command("list")
def list_(
    ctx: typer.Context,
    all_: bool = typer.Option(False, "--all", help="Include removed contacts."),
    limit: Optional[int] = LIMIT,
    json_out: bool = typer.Option(False, "--json", help="Print as JSON (local use: includes phone numbers)."),
) -> None:
    """List your contacts and when you last reached out to each."""
    from recoverylog.services.contacts import list_contacts

    contacts = tuple(first(list_contacts(state(ctx).store(create=False), include_removed=all_), limit))
    if json_out:
        from recoverylog.render.jsonout import emit

        emit({"version": 1, "contacts": list(contacts)})
        return
    from recoverylog.render.console import make_console
    from recoverylog.render.support import render_contacts

    render_contacts(make_console(), contacts)


@contact_app.command("edit")
def edit(
    ctx: typer.Context,
    alias: str = typer.Argument(..., metavar="ALIAS"),
    new_alias: Optional[str] = typer.Option(None, "--alias", help="A new alias."),
    role: Optional[str] = typer.Option(None, "--role", "-r", help=ROLE_HELP),
    phone: Optional[str] = typer.Option(None, "--phone", help="A new phone number ('' clears it)."),
    note: Optional[str] = typer.Option(None, "--note", help="A new note ('' clears it)."),
) -> None:
    """Change a contact (the earlier details are kept as a revision)."""
    from recoverylog.services.contacts import _UNSET, edit_contact

    _show(edit_contact(state(ctx).store(), alias, new_alias=new_alias, role=role,
                       phone=_UNSET if phone is None else phone, note=_UNSET if note is None else note))


@contact_app.command("remove")
def remove(ctx: typer.Context, alias: str = typer.Argument(..., metavar="ALIAS")) -> None:
    """Take someone off your list (the times you reached out stay in your history)."""
    from recoverylog.services.contacts import remove_contact

    _show(remove_contact(state(ctx).store(), alias))


def reached_out(
    ctx: typer.Context,
    alias: str = typer.Argument(..., metavar="ALIAS", help="Who you reached out to."),
    date: Optional[str] = typer.Option(None, "--date", "-d", help="When (default: today)."),
    how: Optional[str] = typer.Option(None, "--how", help="call, text, in-person or video."),
    about: Optional[str] = typer.Option(None, "--about", help="check-in, crisis, step-work or social."),
    json_out: bool = typer.Option(False, "--json", help="Print what was recorded as JSON."),
) -> None:
    """Record that you reached out to someone in your support network."""
    from recoverylog.services.contacts import record_outreach

    store = state(ctx).store()
    day = parse_day(ctx, date)
    result = record_outreach(store, alias, day, how=how, about=about)
    if json_out:
        from recoverylog.render.jsonout import emit

        emit({"version": 1, "alias": result.alias, "role": result.role, "date": result.date,
              "how": result.how, "about": result.about})
        return
    from recoverylog.render.checkin import outreach_line
    from recoverylog.render.console import esc, make_console

    make_console(stderr=True).print(f"[green]✓[/] {esc(outreach_line(result))}"
                                    + (f" ({result.date.isoformat()})" if day != store.today() else ""))


def register(app: typer.Typer) -> None:
    app.add_typer(contact_app, name="contact")
    app.command("reached-out")(reached_out)
