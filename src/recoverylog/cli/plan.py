"""`plan`, `plan add|remove|move|edit|review|history`."""

from __future__ import annotations

from typing import Optional

import typer

from recoverylog.cli.options import LIMIT, first, newest  # noqa: F401
from recoverylog.cli.state import interactive, parse_day, state

plan_app = typer.Typer(
    help="Your relapse-prevention plan: warning signs, triggers, coping steps, people, reasons, "
    "what to do after a lapse, and high-risk dates. Every change keeps the earlier version.",
    no_args_is_help=False,
)

SECTION_HELP = ("warning-signs, triggers, coping, distractions, help, professionals, safety, reasons, "
                "if-i-use, risk-dates")


def _contacts_by_alias(store) -> dict[str, tuple[str, str]]:
    from recoverylog.storage import contacts as rows

    return {c["alias"].lower(): (c["role"], c["phone"] or "") for c in rows.list_all(store)}


@plan_app.callback(invoke_without_command=True)
def plan(
    ctx: typer.Context,
    json_out: bool = typer.Option(False, "--json", help="Print {section: [items]} as JSON."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Show the plan as it was on this day (not in the future)."),
) -> None:
    """Show your plan, one screen, in your own words."""
    if ctx.invoked_subcommand is not None:
        return
    from recoverylog.reports.plan import plan_status
    from recoverylog.services.plan import load_plan

    store = state(ctx).store(create=False)
    day = parse_day(ctx, as_of, what="--as-of date")
    current = load_plan(store, day)
    if json_out:
        from recoverylog.render.jsonout import emit

        emit(current.sections)
        return
    from recoverylog.render.console import make_console
    from recoverylog.render.plan import render_plan

    render_plan(make_console(), current, plan_status(store, day), _contacts_by_alias(store))


def _confirm(change) -> None:
    from recoverylog.render.console import make_console
    from recoverylog.render.plan import render_change

    render_change(make_console(stderr=True), change)


@plan_app.command("add")
def add(
    ctx: typer.Context,
    section: str = typer.Argument(..., metavar="SECTION", help=SECTION_HELP),
    text: Optional[list[str]] = typer.Argument(None, metavar="TEXT...",
                                               help="The item, in your own words (for risk-dates: DATE LABEL; for help: ALIAS)."),
    yearly: bool = typer.Option(False, "--yearly", help="risk-dates only: the date comes back every year."),
) -> None:
    """Add an item to a section: plan add coping "call Sam", plan add risk-dates 2026-12-25 "first sober holiday" --yearly."""
    from recoverylog.services.plan import add_item

    _confirm(add_item(state(ctx).store(), section, list(text or []), yearly=yearly))


@plan_app.command("remove")
def remove(
    ctx: typer.Context,
    section: str = typer.Argument(..., metavar="SECTION", help=SECTION_HELP),
    number: str = typer.Argument(..., metavar="N", help="The item's number, as `plan` shows it."),
) -> None:
    """Remove item N from a section (the earlier version is kept)."""
    from recoverylog.services.plan import remove_item

    _confirm(remove_item(state(ctx).store(), section, number))


@plan_app.command("move")
def move(
    ctx: typer.Context,
    section: str = typer.Argument(..., metavar="SECTION", help=SECTION_HELP),
    number: str = typer.Argument(..., metavar="N", help="The item's number, as `plan` shows it."),
    to: str = typer.Argument(..., metavar="TO", help="Its new position."),
) -> None:
    """Move item N of a section to position TO."""
    from recoverylog.services.plan import move_item

    _confirm(move_item(state(ctx).store(), section, number, to))


@plan_app.command("review")
def review(ctx: typer.Context) -> None:
    """Record that you looked over your plan and it still fits (resets the 90-day reminder)."""
    from recoverylog.errors import NotFoundError
    from recoverylog.services.plan import load_plan, mark_reviewed

    store = state(ctx).store()
    if load_plan(store).version is None:
        raise NotFoundError("There is no plan to review yet. `recoverylog plan add coping \"...\"` starts one.")
    _confirm(mark_reviewed(store))


@plan_app.command("history")
def history(ctx: typer.Context, limit: Optional[int] = LIMIT,
            json_out: bool = typer.Option(False, "--json", help="Every version in full, as JSON.")) -> None:
    """Every earlier version of your plan, oldest first."""
    from recoverylog.storage import plan as plan_rows

    versions = plan_rows.history(state(ctx).store(create=False))
    if json_out:
        from recoverylog.render.jsonout import emit
        from recoverylog.services.plan import normalize

        emit(newest([{"version": n, "created_at": v["created_at"], "created_on": v["created_on"],
                      "change": v["change"], "plan": normalize(v["data"])} for n, v in enumerate(versions, 1)], limit))
        return
    from recoverylog.render.console import make_console
    from recoverylog.render.plan import render_history

    shown = newest(versions, limit)
    render_history(make_console(), shown, first_number=len(versions) - len(shown) + 1)


@plan_app.command("edit")
def edit(ctx: typer.Context) -> None:
    """Walk through the sections on a terminal: add, remove and reorder items, then save once."""
    from recoverylog.errors import UsageError

    if not interactive():
        raise UsageError("`plan edit` needs a terminal. In scripts use `plan add SECTION TEXT`, "
                         "`plan remove SECTION N` and `plan move SECTION N TO`.")
    _run_editor(state(ctx).store())


def _run_editor(store) -> None:
    """Prompts happen with no transaction open; the edited plan is saved once, as one version."""
    import copy

    from rich.prompt import Prompt

    from recoverylog.errors import RecoverylogError
    from recoverylog.render.console import esc, make_console
    from recoverylog.services.plan import SECTIONS, edit_sections, item_label, load_plan

    console = make_console(stderr=True)
    current = load_plan(store)
    sections = copy.deepcopy(current.sections)
    changes: list[str] = []
    console.print("[bold]Editing your plan.[/] For each section: a TEXT adds, r N removes, m N TO moves; "
                  "Enter goes to the next section, s saves and finishes, x leaves without saving.")
    for name, title, hint in SECTIONS:
        while True:
            console.print()
            console.print(f"[bold]{esc(title)}[/] [dim]({name}{'; ' + hint if hint else ''})[/]")
            for number, item in enumerate(sections[name], 1):
                console.print(f"  {number}. {esc(item_label(name, item))}")
            if not sections[name]:
                console.print("  [dim]Nothing yet.[/]")
            answer = Prompt.ask(">", console=console, default="", show_default=False).strip()
            if not answer:
                break
            if answer.lower() in ("s", "save"):
                _finish(store, sections, changes, console)
                return
            if answer.lower() in ("x", "quit", "exit"):
                console.print("Left without saving. Your plan is as it was.")
                return
            try:
                change = edit_sections(store, sections, name, answer)
            except RecoverylogError as exc:
                console.print(esc(exc.message))
                continue
            if change:
                changes.append(change)
    _finish(store, sections, changes, console)


def _finish(store, sections, changes, console) -> None:
    from recoverylog.services.plan import save_whole

    save_whole(store, sections, changes)
    if changes:
        console.print(f"[green]✓[/] Plan saved ({len(changes)} change{'s' if len(changes) != 1 else ''}). "
                      "The earlier version is kept (recoverylog plan history).")
    else:
        console.print("[green]✓[/] Plan reviewed; nothing changed. Thank you for looking it over.")


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")
