"""`meeting add|list|edit|delete|ninety` and `meeting requirement add|list|end|status`."""

from __future__ import annotations

from typing import Optional

import typer

from recoverylog.cli.options import LIMIT, first, newest  # noqa: F401
from recoverylog.cli.state import interactive, parse_day, parse_range, state

meeting_app = typer.Typer(help="Log the meetings you go to, check attendance requirements, and 90 in 90.",
                          no_args_is_help=True)
requirement_app = typer.Typer(help="Attendance requirements (court, probation, employer, program, or your own): "
                                   "N meetings per week or month.", no_args_is_help=True)

# Options shared by `add` and `edit` (Typer reads them from each function's signature).
DATE = typer.Option(None, "--date", "-d", help="The day of the meeting (default: today; not in the future).")
TIME = typer.Option(None, "--time", metavar="HH:MM", help="Start time, 24-hour (e.g. 19:30).")
MINUTES = typer.Option(None, "--minutes", help="How long it lasted, in minutes.")
FELLOWSHIP = typer.Option(None, "--fellowship", help="AA, NA, CA, CMA, MA, HA, SMART, LifeRing, WFS, RecoveryDharma, "
                                                    "Refuge, CelebrateRecovery, AllRecovery, DRA or other.")
FORMAT = typer.Option(None, "--format", help="in-person, online, phone or hybrid.")
LOCATION = typer.Option(None, "--location", help="Where it meets.")
ONLINE_ID = typer.Option(None, "--online-id", help="The online meeting ID.")
GROUP = typer.Option(None, "--group-number", help="The group's number, as on a court card.")
ROLE = typer.Option(None, "--role", help="attended (default), shared, chaired or service.")
HOME = typer.Option(None, "--home-group/--not-home-group", help="Whether this is your home group.")
VERIFICATION = typer.Option(None, "--verification", help="none, signature, initials, email, pathcheck or certificate.")
VERIFIED_BY = typer.Option(None, "--verified-by", metavar="FIRST-NAME-OR-INITIALS",
                           help="Who verified it: first name and last initial at most (John R., J.R.).")
REF = typer.Option(None, "--ref", metavar="CODE", help="A reference code (e.g. from a slip or an app).")
NOTE = typer.Option(None, "--note", help="A private note (never on the court sheet).")
JSON = typer.Option(False, "--json", help="Print as JSON.")


def _input(ctx, **values):
    from recoverylog.services.meetings import MeetingInput

    day = values.pop("date")
    parsed = parse_day(ctx, day, what="meeting date", default_today=False) if day is not None else None
    return MeetingInput(date=parsed, **values)


@meeting_app.command("add")
def add(
    ctx: typer.Context,
    name: Optional[str] = typer.Argument(None, help="The meeting's name (its usual details are filled in from the last time)."),
    date: Optional[str] = DATE, time: Optional[str] = TIME, minutes: Optional[int] = MINUTES,
    fellowship: Optional[str] = FELLOWSHIP, fmt: Optional[str] = FORMAT, location: Optional[str] = LOCATION,
    online_id: Optional[str] = ONLINE_ID, group_number: Optional[str] = GROUP, role: Optional[str] = ROLE,
    home_group: Optional[bool] = HOME, verification: Optional[str] = VERIFICATION,
    verified_by: Optional[str] = VERIFIED_BY, ref: Optional[str] = REF, note: Optional[str] = NOTE,
    json_out: bool = JSON,
) -> None:
    """Log a meeting you went to. On a terminal, without a NAME, pick one of your recent meetings."""
    from recoverylog.services.meetings import add_meeting, public

    store = state(ctx).store()
    if name is None:
        name = _pick_name(store)
    inp = _input(ctx, name=name, date=date, time=time, minutes=minutes, fellowship=fellowship, format=fmt,
                 location=location, online_id=online_id, group_number=group_number, role=role,
                 home_group=home_group, verification=verification, verified_by=verified_by, ref=ref, note=note)
    saved = add_meeting(store, inp)
    if json_out:
        from recoverylog.render.jsonout import emit

        emit(public(saved.meeting) | {"filled_from": saved.filled_from, "filled_fields": list(saved.filled_fields)})
        return
    from recoverylog.render.console import make_console
    from recoverylog.render.meetings import render_saved

    render_saved(make_console(), saved, "logged")


def _pick_name(store) -> str:
    """Offer the recent meetings on a terminal; without one, a NAME is required."""
    from recoverylog.errors import UsageError

    if not interactive():
        raise UsageError("Give the meeting's NAME: recoverylog meeting add \"Tuesday Night Step\". Nothing was saved.")
    from rich.prompt import Prompt

    from recoverylog.render.console import esc, make_console
    from recoverylog.render.meetings import details
    from recoverylog.storage.meetings import recent_names

    console = make_console(stderr=True)
    recent = recent_names(store)
    if recent:
        console.print("Recent meetings:")
        for index, row in enumerate(recent, 1):
            console.print(f"  {index}. {esc(row['name'])} [dim]{esc(details(row))}[/]")
    while True:
        answer = Prompt.ask("Meeting (a number, or a new name)" if recent else "Meeting name", console=console).strip()
        if answer.isdigit() and 1 <= int(answer) <= len(recent):
            return recent[int(answer) - 1]["name"]
        if answer and not answer.isdigit():
            return answer
        console.print("Please type a number from the list or a meeting name.")


@meeting_app.command("list")
def list_meetings(
    ctx: typer.Context,
    since: Optional[str] = typer.Option(None, "--since", help="First date to list."),
    until: Optional[str] = typer.Option(None, "--until", help="Last date to list (not in the future)."),
    limit: Optional[int] = LIMIT,
    json_out: bool = typer.Option(False, "--json", help="Print a JSON list."),
) -> None:
    """List the meetings you logged."""
    from recoverylog.services.meetings import public
    from recoverylog.storage.meetings import list_range

    store = state(ctx).store(create=False)
    start, end = parse_range(ctx, since, until)
    rows = newest(list_range(store, start, end), limit)
    if json_out:
        from recoverylog.render.jsonout import emit

        emit([public(r) for r in rows])
        return
    from recoverylog.render.console import make_console
    from recoverylog.render.meetings import render_list

    render_list(make_console(), rows)


@meeting_app.command("edit")
def edit(
    ctx: typer.Context,
    meeting_id: int = typer.Argument(..., metavar="ID", help="The meeting's id (see `meeting list`)."),
    name: Optional[str] = typer.Option(None, "--name", help="A new name."),
    date: Optional[str] = DATE, time: Optional[str] = TIME, minutes: Optional[int] = MINUTES,
    fellowship: Optional[str] = FELLOWSHIP, fmt: Optional[str] = FORMAT, location: Optional[str] = LOCATION,
    online_id: Optional[str] = ONLINE_ID, group_number: Optional[str] = GROUP, role: Optional[str] = ROLE,
    home_group: Optional[bool] = HOME, verification: Optional[str] = VERIFICATION,
    verified_by: Optional[str] = VERIFIED_BY, ref: Optional[str] = REF, note: Optional[str] = NOTE,
    json_out: bool = JSON,
) -> None:
    """Change a meeting (the earlier version is kept). An empty value ('') clears a detail."""
    from recoverylog.services.meetings import edit_meeting, public

    store = state(ctx).store()
    inp = _input(ctx, name=name, date=date, time=time, minutes=minutes, fellowship=fellowship, format=fmt,
                 location=location, online_id=online_id, group_number=group_number, role=role,
                 home_group=home_group, verification=verification, verified_by=verified_by, ref=ref, note=note)
    saved = edit_meeting(store, meeting_id, inp)
    if json_out:
        from recoverylog.render.jsonout import emit

        emit(public(saved.meeting) | {"changed": list(saved.changed_fields)})
        return
    if not saved.changed_fields:
        from recoverylog.render.console import info

        info(f"Nothing to change in meeting #{meeting_id}.")
        return
    from recoverylog.render.console import make_console
    from recoverylog.render.meetings import render_saved

    render_saved(make_console(), saved, "updated")


@meeting_app.command("delete")
def delete(
    ctx: typer.Context,
    meeting_id: int = typer.Argument(..., metavar="ID", help="The meeting's id (see `meeting list`)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask to confirm."),
) -> None:
    """Delete a meeting logged by mistake (it is kept as a revision)."""
    from recoverylog.errors import NotFoundError, UsageError
    from recoverylog.render.console import info
    from recoverylog.services.meetings import delete_meeting
    from recoverylog.storage.meetings import get

    store = state(ctx).store()
    row = get(store, meeting_id)
    if row is None:
        raise NotFoundError(f"There is no meeting #{meeting_id}; nothing was deleted. "
                            "`recoverylog meeting list` shows the ids.")
    if not yes:
        if not interactive():
            raise UsageError("Deleting needs confirmation: add --yes. Nothing was deleted.")
        if not typer.confirm(f"Delete meeting #{meeting_id} ({row['name']}, {row['date']})?", default=False, err=True):
            info("Kept. Nothing was deleted.")
            return
    deleted = delete_meeting(store, meeting_id)
    info(f"Deleted meeting #{meeting_id} ({deleted['name']}, {deleted['date']}). "
         "Its details are kept in the history of changes.")


@meeting_app.command("ninety")
def ninety(
    ctx: typer.Context,
    start: Optional[str] = typer.Option(None, "--start", help="Day 1 of the 90 (default: your first meeting "
                                                              "in the last 90 days)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Treat this day as today (default: today)."),
    json_out: bool = JSON,
) -> None:
    """90 meetings in 90 days: meetings so far, distinct meeting days, days left, on pace or behind."""
    from recoverylog.reports.meetings import ninety_report

    store = state(ctx).store(create=False)
    when = parse_day(ctx, as_of, what="--as-of date")
    first = parse_day(ctx, start, what="--start date", default_today=False)
    report = ninety_report(store, when, first)
    if json_out:
        from recoverylog.render.jsonout import emit

        emit(report)
        return
    from recoverylog.render.console import make_console
    from recoverylog.render.meetings import render_ninety

    render_ninety(make_console(), report)


# -- requirements ----------------------------------------------------------------------

@requirement_app.command("add")
def requirement_add(
    ctx: typer.Context,
    label: str = typer.Argument(..., help="A name for it, e.g. 'court' or 'probation'."),
    count: int = typer.Option(..., "--count", help="Meetings required per period."),
    per: str = typer.Option(..., "--per", help="week or month."),
    start: Optional[str] = typer.Option(None, "--start", help="First day it applies (default: today)."),
    end: Optional[str] = typer.Option(None, "--end", help="Last day it applies (default: open-ended)."),
    verified_only: bool = typer.Option(False, "--verified-only", help="Count only verified meetings."),
    fellowship: Optional[list[str]] = typer.Option(None, "--fellowship", help="Count only this fellowship (repeatable)."),
    week_starts: Optional[str] = typer.Option(None, "--week-starts", help="monday (ISO, default) or sunday."),
    json_out: bool = JSON,
) -> None:
    """Add an attendance requirement: N meetings per week or month."""
    from recoverylog.services.meetings import RequirementInput, add_requirement

    store = state(ctx).store()
    first = parse_day(ctx, start, what="--start date", allow_future=True)
    last = parse_day(ctx, end, what="--end date", default_today=False, allow_future=True)
    row = add_requirement(store, RequirementInput(label=label, count=count, per=per, start=first, end=last,
                                                  verified_only=verified_only, fellowships=tuple(fellowship or ()),
                                                  week_starts=week_starts))
    if json_out:
        from recoverylog.render.jsonout import emit

        emit(row)
        return
    from recoverylog.render.console import esc, make_console
    from recoverylog.render.meetings import rule_text

    make_console().print(f"[bold green]✓[/] Requirement {esc(row['label'])}: {rule_text(row)}")


@requirement_app.command("list")
def requirement_list(ctx: typer.Context, limit: Optional[int] = LIMIT, json_out: bool = JSON) -> None:
    """List attendance requirements."""
    from recoverylog.storage.requirements import list_all

    store = state(ctx).store(create=False)
    rows = first(list_all(store), limit)
    if json_out:
        from recoverylog.render.jsonout import emit

        emit(rows)
        return
    from recoverylog.render.console import make_console
    from recoverylog.render.meetings import render_requirements

    render_requirements(make_console(), rows, store.today())


@requirement_app.command("end")
def requirement_end(
    ctx: typer.Context,
    label: str = typer.Argument(..., help="The requirement's label."),
    date: Optional[str] = typer.Option(None, "--date", "-d", help="Its last day (default: today)."),
) -> None:
    """End a requirement (its history stays)."""
    from recoverylog.render.console import info
    from recoverylog.services.meetings import end_requirement

    store = state(ctx).store()
    when = parse_day(ctx, date, what="end date", allow_future=True)
    row = end_requirement(store, label, when)
    info(f"Requirement {row['label']} ends on {row['end']}. Its periods stay in `meeting requirement status`.")


@requirement_app.command("status")
def requirement_status(
    ctx: typer.Context,
    label: Optional[str] = typer.Argument(None, help="One requirement (default: all)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Treat this day as today (default: today)."),
    json_out: bool = JSON,
) -> None:
    """Each period of each requirement: counted, required, short by, met; days left in the current one."""
    from recoverylog.reports.meetings import requirements_report

    store = state(ctx).store(create=False)
    when = parse_day(ctx, as_of, what="--as-of date")
    report = requirements_report(store, when, label)
    if json_out:
        from recoverylog.render.jsonout import emit

        emit(list(report))
        return
    from recoverylog.render.console import make_console
    from recoverylog.render.meetings import render_requirement_status

    render_requirement_status(make_console(), report)


def register(app: typer.Typer) -> None:
    meeting_app.add_typer(requirement_app, name="requirement")
    app.add_typer(meeting_app, name="meeting")
