"""Terminal views of `help-now` and the support network (contacts, outreach).

`help-now` is one calm screen: crisis lines first (always, even with no database), then the
person's own coping steps, people, and reasons. No red, no alarms, no clutter."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from recoverylog.records import record
from recoverylog.render.console import esc

if TYPE_CHECKING:
    from rich.console import Console

    from recoverylog.services.contacts import Contact, ContactChange
    from recoverylog.services.plan import OwnSupport
    from recoverylog.services.support import CrisisLines

CHANGE_LOCALE = "`recoverylog config set crisis-locale XX`"


@record
class HelpNowView:
    crisis: "CrisisLines"
    own: "OwnSupport | None"  # None: the database is missing or could not be read
    problem: str = ""  # why the person's own plan could not be shown ("" when nothing went wrong)


def locale_line(crisis: "CrisisLines") -> str:
    from recoverylog.services.support import known_locales

    known = ", ".join(known_locales())
    if crisis.fallback:
        if crisis.requested:
            where = "your crisis-locale setting" if not crisis.from_system else "your system locale"
            return (f"No crisis lines are stored for {crisis.requested} ({where}), so these are the lines for "
                    f"{crisis.country_phrase}. Choose yours with {CHANGE_LOCALE} ({known}).")
        return (f"Your system locale does not name a country, so these are the lines for "
                f"{crisis.country_phrase}. Choose yours with {CHANGE_LOCALE} ({known}).")
    source = "from your system locale" if crisis.from_system else "from your crisis-locale setting"
    return f"({source}; change with {CHANGE_LOCALE})"


def _indented(console: "Console", grid) -> None:
    from rich.padding import Padding

    console.print(Padding(grid, (0, 0, 0, 2)))


def _crisis_block(console: "Console", crisis: "CrisisLines") -> None:
    from rich.table import Table

    console.print(f"[bold]Crisis lines for {esc(crisis.country_phrase)}[/]")
    console.print(f"[dim]{esc(locale_line(crisis))}[/]")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(overflow="fold")
    grid.add_column(no_wrap=True)
    for line in crisis.lines:
        hours = f" [dim]· {esc(line.hours)}[/]" if line.hours else ""
        grid.add_row(f"{esc(line.name)}{hours}", f"[bold]{esc(line.contact)}[/]")
    if crisis.emergency:
        grid.add_row("In an emergency", f"[bold]{esc(crisis.emergency)}[/]")
    _indented(console, grid)


def render_help_now(console: "Console", view: HelpNowView) -> None:
    from rich.table import Table

    console.print("[bold]You do not have to go through this alone.[/]")
    console.print("Breathe out slowly. Strong feelings and urges rise, peak and pass.")
    console.print()
    _crisis_block(console, view.crisis)
    own = view.own
    if own is None or not (own.coping or own.contacts or own.reasons):
        console.print()
        if view.problem:
            console.print(f"[dim]{esc(view.problem)}[/]")
        else:
            console.print("[dim]Your own plan will appear here once written: your coping steps, the people "
                          "you can call, your reasons. Start with `recoverylog plan add coping \"...\"` and "
                          "`recoverylog contact add ALIAS --role sponsor --phone ...`.[/]")
        return
    if own.coping:
        _numbered(console, "Your coping steps", own.coping)
    if own.contacts:
        console.print()
        console.print("[bold]People you can reach[/]")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(overflow="fold")
        grid.add_column(no_wrap=True)
        for alias, role, phone in own.contacts:
            grid.add_row(f"{esc(alias)} [dim]({role})[/]", f"[bold]{esc(phone)}[/]" if phone else "")
        _indented(console, grid)
    if own.reasons:
        _numbered(console, "Your reasons for recovery", own.reasons)
    console.print()
    console.print("[dim]After you reach out: `recoverylog reached-out ALIAS --about crisis` keeps a note of it.[/]")


def help_now_json(view: HelpNowView) -> dict:
    crisis = view.crisis
    out = {
        "version": 1,
        "crisis": {"locale": crisis.locale, "country": crisis.country, "from_system": crisis.from_system,
                   "fallback": crisis.fallback, "requested": crisis.requested, "emergency": crisis.emergency,
                   "lines": [{"name": ln.name, "contact": ln.contact, "hours": ln.hours, "source": ln.source}
                             for ln in crisis.lines]},
        "coping": list(view.own.coping) if view.own else [],
        "contacts": [{"alias": a, "role": r, "phone": p} for a, r, p in (view.own.contacts if view.own else ())],
        "reasons": list(view.own.reasons) if view.own else [],
    }
    if view.problem:
        out["problem"] = view.problem
    return out


# -- contacts --------------------------------------------------------------------

def _short(text: str | None, width: int = 24) -> str:
    if not text:
        return ""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def render_contacts(console: "Console", contacts: tuple["Contact", ...]) -> None:
    if not contacts:
        console.print("No contacts yet. `recoverylog contact add ALIAS --role sponsor --phone ...` adds one "
                      "(an alias or initials is enough).")
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("Alias", overflow="fold")
    table.add_column("Role", no_wrap=True)
    table.add_column("Phone", no_wrap=True)
    table.add_column("Last reached out", no_wrap=True)
    table.add_column("Note", overflow="ellipsis", no_wrap=True)
    for c in contacts:
        alias = esc(c.alias) + (" [dim](removed)[/]" if c.removed_on else "")
        table.add_row(alias, c.role, esc(c.phone or ""), c.last_outreach or "", esc(_short(c.note)))
    console.print(table)
    console.print("[dim]Phone numbers and notes stay on this machine: summaries carry counts only.[/]")


def render_contact_change(console: "Console", change: "ContactChange") -> None:
    c = change.contact
    if change.action == "unchanged":
        console.print(f"Nothing changed for {esc(c.alias)}.")
        return
    if change.action == "removed":
        console.print(f"Removed {esc(c.alias)} ({c.role}) from your contacts. The times you reached out stay "
                      f"in your history; `recoverylog contact add {esc(shlex.quote(c.alias))} --role {c.role}` brings them back.")
        return
    verb = {"added": "Added", "restored": "Added back", "updated": "Updated"}[change.action]
    phone = f" · {esc(c.phone)}" if c.phone else ""
    console.print(f"[green]✓[/] {verb} {esc(c.alias)} ({c.role}){phone}.")
    if change.action == "updated":
        console.print("[dim]The earlier details are kept as a revision.[/]")
    if change.hint:
        console.print(f"[dim]{esc(change.hint)}[/]")


def _numbered(console: "Console", title: str, items) -> None:
    """A titled, numbered list whose wrapped lines hang under the text, not the number."""
    from rich.table import Table

    console.print()
    console.print(f"[bold]{title}[/]")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True, width=4)
    grid.add_column(overflow="fold")
    for number, item in enumerate(items, 1):
        grid.add_row(f"{number}.", esc(item))
    console.print(grid)
