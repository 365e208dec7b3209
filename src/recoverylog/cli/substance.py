"""`substance add|list|edit|archive`, `use`, `uses` (+ `uses edit|delete`); `sobriety` and `status` have
their own modules."""

from __future__ import annotations

import shlex
from typing import Optional

import typer
from typer.core import TyperGroup

from recoverylog.cli.options import LIMIT, first, newest  # noqa: F401
from recoverylog.cli.state import interactive, parse_day, parse_range, state

PRESCRIBED_NOTE = (
    "Prescribed medication taken as directed (buprenorphine, methadone, naltrexone, …) is never "
    "use: record it with `recoverylog med add NAME` instead, where nothing about it touches a count."
)

substance_app = typer.Typer(
    help="Substances you track: what counts as use, your goal (abstain, reduce or monitor) and "
    "when you last used. " + PRESCRIBED_NOTE,
    no_args_is_help=True,
)


class _UsesGroup(TyperGroup):
    """`uses [NAME]` lists and `uses edit|delete` correct: a sub-command name given first goes to
    the sub-command instead of filling the list's NAME argument."""

    def parse_args(self, ctx, args):
        if args and args[0] in self.commands:
            super().parse_args(ctx, [])
            ctx._protected_args, ctx.args = [args[0]], list(args[1:])
            return ctx.args
        ctx.allow_interspersed_args = True  # `uses alcohol --json`: options may follow NAME
        return super().parse_args(ctx, args)


uses_app = typer.Typer(cls=_UsesGroup, help="List use records, or correct one (edit, delete; earlier values are kept).")


def _find(store, name: str):
    from recoverylog.services.substances import find_substance

    return find_substance(store, name)


# -- substance ---------------------------------------------------------------------

@substance_app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="What you track, e.g. alcohol, nicotine, cannabis."),
    unit: str = typer.Option("none", "--unit", help="drinks (standard drinks), count, or none (used or not)."),
    goal: str = typer.Option("abstain", "--goal", help="abstain, reduce (with limits) or monitor (track only)."),
    max_per_day: Optional[float] = typer.Option(None, "--max-per-day", metavar="N",
                                                help="Reduce goal: the most in one day (needs a unit)."),
    max_days: Optional[int] = typer.Option(None, "--max-days", metavar="N",
                                           help="Reduce goal: the most use days per --per week or month."),
    per: Optional[str] = typer.Option(None, "--per", help="week (Monday first) or month, for --max-days."),
    last_use: Optional[str] = typer.Option(None, "--last-use", metavar="DATE",
                                           help="When you last used (continuous time counts from the day after)."),
    sober_since: Optional[str] = typer.Option(None, "--sober-since", metavar="DATE",
                                              help="Your first day without use (same as --last-use the day before)."),
    milestones: Optional[str] = typer.Option(None, "--milestones", metavar="on|off",
                                             help="Show milestones for this substance (default: on for abstain)."),
) -> None:
    """Start tracking a substance. Prescribed medication taken as directed is not use: `recoverylog med add` records it."""
    from recoverylog.render.console import info
    from recoverylog.services.substances import SubstanceSpec, add_substance

    spec = SubstanceSpec(
        name=name, unit=unit, goal=goal, max_per_day=max_per_day, max_days=max_days, per=per,
        last_use=parse_day(ctx, last_use, what="--last-use date", default_today=False),
        sober_since=parse_day(ctx, sober_since, what="--sober-since date", default_today=False),
        milestones=milestones,
    )
    store = state(ctx).store()  # after the dates: a bad one creates no database
    substance = add_substance(store, spec)
    from recoverylog.render.sobriety import goal_text
    from recoverylog.reports.sobriety import build_substance_reports

    report = build_substance_reports(store, store.today(), [substance])[0]
    info(f"Now tracking {substance.name} ({goal_text(report)}).")
    from recoverylog.services.medications import looks_like_medication

    if looks_like_medication(substance.name):
        info(f"If {substance.name} is prescribed to you and taken as directed, it is not use: "
             f"`recoverylog substance archive {shlex.quote(substance.name)}` and "
             f"`recoverylog med add {shlex.quote(substance.name)}` track it apart from your days without use.")
    if report.goal != "monitor" and report.days is not None:
        info(f"{report.days} day{'s' if report.days != 1 else ''} without use so far. "
             "Each check-in asks about it: `recoverylog checkin --sober` or `--used "
             f"{shlex.quote(substance.name + (':N' if substance.unit != 'none' else ''))}`.")


@substance_app.command("list")
def list_(ctx: typer.Context, limit: Optional[int] = LIMIT,
          json_out: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List tracked substances (archived ones too, marked)."""
    from recoverylog.storage import substances as rows

    items = first(rows.list_all(state(ctx).store(create=False)), limit)
    if json_out:
        from recoverylog.render.jsonout import emit
        from recoverylog.services.substances import public

        emit([public(s) for s in items])
        return
    from recoverylog.render.console import make_console
    from recoverylog.render.sobriety import render_substance_list

    render_substance_list(make_console(), items)


@substance_app.command("edit")
def edit(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The substance to change."),
    new_name: Optional[str] = typer.Option(None, "--name", help="A new name."),
    unit: Optional[str] = typer.Option(None, "--unit", help="drinks, count or none."),
    goal: Optional[str] = typer.Option(None, "--goal", help="abstain, reduce or monitor."),
    max_per_day: Optional[float] = typer.Option(None, "--max-per-day", metavar="N", help="Reduce goal: the most in one day."),
    max_days: Optional[int] = typer.Option(None, "--max-days", metavar="N", help="Reduce goal: the most use days per --per."),
    per: Optional[str] = typer.Option(None, "--per", help="week or month, for --max-days."),
    no_limits: bool = typer.Option(False, "--no-limits", help="Remove the reduce limits."),
    last_use: Optional[str] = typer.Option(None, "--last-use", metavar="DATE", help="Declare when you last used."),
    sober_since: Optional[str] = typer.Option(None, "--sober-since", metavar="DATE", help="Declare your first day without use."),
    milestones: Optional[str] = typer.Option(None, "--milestones", metavar="on|off|default", help="Show milestones for it."),
    unarchive: bool = typer.Option(False, "--unarchive", help="Track it again (check-ins ask about it)."),
    cost: Optional[float] = typer.Option(None, "--cost", metavar="AMOUNT",
                                         help="What one unit, or a typical day of use, cost (for money not spent; 0 removes it)."),
    cost_per: Optional[str] = typer.Option(None, "--cost-per", metavar="unit|day",
                                           help="Whether --cost is per unit (a drink, a cigarette) or per typical day."),
) -> None:
    """Change a substance's name, unit, goal, limits, declared last use, milestones or cost (kept as a revision)."""
    from recoverylog.render.console import info
    from recoverylog.services.substances import SubstanceChanges, edit_substance

    changes = SubstanceChanges(
        name=new_name, unit=unit, goal=goal, max_per_day=max_per_day, max_days=max_days, per=per,
        no_limits=no_limits,
        last_use=parse_day(ctx, last_use, what="--last-use date", default_today=False),
        sober_since=parse_day(ctx, sober_since, what="--sober-since date", default_today=False),
        milestones=milestones, unarchive=unarchive, cost=cost, cost_per=cost_per,
    )
    store = state(ctx).store()
    before, after, changed = edit_substance(store, name, changes)
    if not changed:
        info(f"Nothing to change for {after.name}.")
        return
    info(f"Updated {after.name}: {', '.join(changed)}. The earlier values are kept as a revision.")
    if after.cost and ("cost" in changed or "cost per" in changed):
        info("`recoverylog status` and `report` now show the money not spent.")


@substance_app.command("archive")
def archive(ctx: typer.Context, name: str = typer.Argument(..., help="The substance to stop asking about.")) -> None:
    """Stop asking about a substance. Its history stays (`sobriety NAME` still shows it)."""
    from recoverylog.render.console import info
    from recoverylog.services.substances import archive_substance

    substance = archive_substance(state(ctx).store(), name)
    info(f"Archived {substance.name}: check-ins no longer ask about it. Its history stays; "
         f"`recoverylog substance edit {shlex.quote(substance.name)} --unarchive` tracks it again.")


# -- use / uses ----------------------------------------------------------------------

def use(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The substance used."),
    date: Optional[str] = typer.Option(None, "--date", "-d", help="The day it happened (default: today)."),
    amount: Optional[float] = typer.Option(None, "--amount", "-a", metavar="N", help="How much (drinks or count)."),
    note: Optional[str] = typer.Option(None, "--note", help="What was going on (private)."),
    json_out: bool = typer.Option(False, "--json", help="Print the record as JSON."),
) -> None:
    """Record a use now, not only at the evening check-in. A second use on a date adds to its amount."""
    from recoverylog.services.checkin import clean_text
    from recoverylog.services.uses import record_use

    day = parse_day(ctx, date)
    store = state(ctx).store()
    result = record_use(store, name, day, amount=amount, note=clean_text("note", note))
    from recoverylog.reports.lapse import lapse_moment

    lapse = lapse_moment(store, day, [result.confirmation])
    if json_out:
        from recoverylog.render.jsonout import emit
        from recoverylog.render.lapse import lapse_json

        emit({"version": 1, "record": result.record, "added_to": result.added_to, "substance": result.report,
              "lapse": lapse_json(lapse)})
        return
    from recoverylog.render.checkin import use_confirmation_lines
    from recoverylog.render.console import esc, make_console

    console = make_console()
    for line in use_confirmation_lines(result.confirmation):
        console.print(esc(line))
    if lapse is not None:
        from recoverylog.render.lapse import render_lapse

        render_lapse(console, lapse)


@uses_app.callback(invoke_without_command=True)
def uses(
    ctx: typer.Context,
    name: Optional[str] = typer.Argument(None, help="Only this substance."),
    since: Optional[str] = typer.Option(None, "--since", help="First date to list."),
    until: Optional[str] = typer.Option(None, "--until", help="Last date to list."),
    all_days: bool = typer.Option(False, "--all", help="Include days recorded without use."),
    limit: Optional[int] = LIMIT,
    json_out: bool = typer.Option(False, "--json", help="Print a JSON list."),
) -> None:
    """List use records (days recorded without use too, with --all)."""
    if ctx.invoked_subcommand is not None:
        return
    from recoverylog.storage import uses as use_rows

    start, end = parse_range(ctx, since, until)
    store = state(ctx).store(create=False)
    substance = _find(store, name) if name else None
    if start and end and start > end:
        from recoverylog.errors import InputError

        raise InputError(f"--since {start.isoformat()} is after --until {end.isoformat()}.")
    items = newest(use_rows.list_range(store, substance.id if substance else None, start, end,
                                       used_only=not all_days), limit)
    if json_out:
        from recoverylog.render.jsonout import emit
        from recoverylog.services.uses import public_record

        emit([public_record(r) for r in items])
        return
    from recoverylog.render.console import make_console
    from recoverylog.render.sobriety import render_use_list

    render_use_list(make_console(), items, all_days=all_days)


@uses_app.command("edit")
def uses_edit(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The substance."),
    date: str = typer.Option(..., "--date", "-d", help="The record's date."),
    amount: Optional[float] = typer.Option(None, "--amount", "-a", metavar="N", help="The day's amount."),
    note: Optional[str] = typer.Option(None, "--note", help="Replace the note."),
    used: Optional[bool] = typer.Option(None, "--used/--not-used", help="Correct whether it was a use day."),
) -> None:
    """Correct one day's record (the earlier values are kept as a revision)."""
    from recoverylog.render.console import info
    from recoverylog.services.checkin import clean_text
    from recoverylog.services.uses import edit_use

    day = parse_day(ctx, date)
    store = state(ctx).store()
    substance, before, after, changed = edit_use(store, name, day, amount=amount,
                                                  note=clean_text("note", note), used=used)
    if not changed:
        info(f"Nothing to change for {substance.name} on {day.isoformat()}.")
        return
    info(f"Updated {substance.name} on {day.isoformat()}: {', '.join(changed)}. "
         "The earlier values are kept as a revision.")


@uses_app.command("delete")
def uses_delete(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The substance."),
    date: str = typer.Option(..., "--date", "-d", help="The record's date."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask to confirm."),
) -> None:
    """Delete one day's record: that day becomes unrecorded (kept as a revision)."""
    from recoverylog.errors import NotFoundError, UsageError
    from recoverylog.render.console import info
    from recoverylog.services.uses import delete_use
    from recoverylog.storage import uses as use_rows

    day = parse_day(ctx, date)
    store = state(ctx).store()
    found = _find(store, name)
    if use_rows.get(store, found.id, day) is None:
        raise NotFoundError(f"There is no record of {found.name} for {day.isoformat()}; nothing was deleted.")
    if not yes:  # the same confirmation as `meeting delete`
        if not interactive():
            raise UsageError("Deleting needs confirmation: add --yes. Nothing was deleted.")
        if not typer.confirm(f"Delete the record of {found.name} for {day.isoformat()}?", default=False, err=True):
            info("Kept. Nothing was deleted.")
            return
    substance, _ = delete_use(store, name, day)
    info(f"Deleted the record of {substance.name} for {day.isoformat()}; that day is now unrecorded. "
         "It is kept as a revision.")


def register(app: typer.Typer) -> None:
    app.add_typer(substance_app, name="substance")
    app.command("use")(use)
    app.add_typer(uses_app, name="uses")
