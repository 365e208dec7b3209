"""`checkin`, `checkin show|delete|undo`, and `checkins`."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from recoverylog.cli.options import LIMIT, first, newest  # noqa: F401
from recoverylog.cli.state import interactive, parse_day, parse_range, state

checkin_app = typer.Typer(
    help="Record today's check-in (mood, craving, and how the day went), or show, delete or undo one.",
    no_args_is_help=False,
)


def _read_note(note: str | None) -> str | None:
    if note != "-":
        return note
    from recoverylog.errors import InputError
    from recoverylog.services.checkin import MAX_TEXT_CHARS

    cap = MAX_TEXT_CHARS * 4  # read a bounded amount: stdin may be a huge or endless stream
    text = sys.stdin.read(cap + 1)
    if len(text) > cap:
        raise InputError(f"The note on standard input is longer than {cap:,} characters; the limit is "
                         f"{MAX_TEXT_CHARS:,}. Nothing was saved. Shorten it or split it over days.")
    return text


@checkin_app.callback(invoke_without_command=True)
def checkin(
    ctx: typer.Context,
    date: Optional[str] = typer.Option(None, "--date", "-d", help="The day this check-in is for (default: today)."),
    mood: Optional[int] = typer.Option(None, "--mood", "-m", help="Mood, 1 (worst) to 10 (best)."),
    craving: Optional[int] = typer.Option(None, "--craving", "-c", help="Strongest urge today, 0 (none) to 10."),
    stress: Optional[int] = typer.Option(None, "--stress", help="Stress, 0 (none) to 10."),
    sleep: Optional[float] = typer.Option(None, "--sleep", help="Hours slept, 0 to 24."),
    halt: Optional[str] = typer.Option(None, "--halt", help="Any of hungry,angry,lonely,tired (comma-separated), or none."),
    gratitude: Optional[str] = typer.Option(None, "--gratitude", help="Something you are grateful for (private)."),
    note: Optional[str] = typer.Option(None, "--note", help="A note (private); '-' reads it from standard input."),
    tag: Optional[list[str]] = typer.Option(None, "--tag", "-t", help="A word to tag the day with (repeatable)."),
    used: Optional[list[str]] = typer.Option(None, "--used", metavar="NAME[:AMOUNT]",
                                             help="A substance you used today, with the amount if it has a unit (repeatable)."),
    sober: bool = typer.Option(False, "--sober", help="No use today of every active substance not named by --used."),
    meeting: Optional[list[str]] = typer.Option(None, "--meeting", metavar="NAME",
                                                help="A meeting you went to today (repeatable; details filled in from the last time)."),
    reached_out: Optional[list[str]] = typer.Option(None, "--reached-out", metavar="ALIAS[:HOW]",
                                                    help="Someone you reached out to: call, text, in-person or video (repeatable)."),
    med_taken: Optional[list[str]] = typer.Option(None, "--med-taken", metavar="NAME",
                                                  help="A medication you took today: every dose of the day taken (repeatable)."),
    med_missed: Optional[list[str]] = typer.Option(None, "--med-missed", metavar="NAME",
                                                   help="A medication you did not take today (repeatable)."),
    json_out: bool = typer.Option(False, "--json", help="Print the saved check-in as JSON."),
) -> None:
    """Check in for today (or --date). Missing mood and craving are asked for on a terminal."""
    if ctx.invoked_subcommand is not None:
        return
    import datetime as _dt

    from recoverylog.services.checkin import CheckinInput, clean_tags, clean_text, parse_halt, validate

    values = dict(mood=mood, craving=craving, stress=stress, sleep=sleep,
                  halt=parse_halt(halt), gratitude=clean_text("gratitude", gratitude),
                  note=clean_text("note", _read_note(note)), tags=clean_tags(tag))
    # Check the values before opening the database: a typo never creates or touches a file.
    validate(CheckinInput(date=_dt.date.min, **values))
    day = parse_day(ctx, date)  # before opening the store: a bad date creates no file
    store = state(ctx).store()
    entry = CheckinInput(date=day, **values)
    ask = interactive()
    meetings, people = list(meeting or []), list(reached_out or [])
    if ask:
        entry = _ask_missing(store, entry)
        if store.settings.checkin_questions == "full":
            from recoverylog.cli.checkin_ask import ask_full

            entry, meetings, people = ask_full(store, entry, meetings, people)
    hooks = _feature_hooks(store, day, used or [], sober, meetings, people, ask)
    hooks += _medication_hooks(store, day, med_taken or [], med_missed or [], ask)
    from recoverylog.services.checkin import save_checkin

    result = save_checkin(store, entry, hooks)
    from recoverylog.reports.checkins import checkin_summary

    summary = checkin_summary(store, store.today())
    if json_out:
        from recoverylog.render.jsonout import emit

        emit({"version": 1, "date": result.date, "created": result.created,
              "changed": list(result.changed_fields), "checkin": _public(result.checkin),
              "streak": summary.streak, "longest_streak": summary.longest_streak,
              "recorded": {k: (v.data() if hasattr(v, "data") else v.get("data"))
                           for k, v in result.extras.items()}} | _after_checkin_json(store, result))
        return
    from recoverylog.render.checkin import render_confirmation
    from recoverylog.render.plain import PlainConsole
    from recoverylog.services.support import support_now

    recorded = result.extras.get("uses")
    uses_outcome = None
    if recorded is not None:
        from recoverylog.services.uses import UsesRecorded, outcome

        # The substance reports for the confirmation are built now, after COMMIT.
        uses_outcome = outcome(store, recorded) if isinstance(recorded, UsesRecorded) else None
    support = support_now(store, result.checkin)
    console = PlainConsole()
    render_confirmation(console, result, summary, support, uses_outcome)  # the everyday screen: no rich import
    _after_checkin(store, console, result, ask, uses_outcome)


def _after_checkin(store, console, result, ask: bool, uses_outcome) -> None:
    """What follows the confirmation: the moment after a lapse, early warnings, and on a
    terminal the offer to fill in unrecorded days of the last week."""
    if uses_outcome is not None and any(ln.action == "use" for ln in uses_outcome.lines):
        from recoverylog.reports.lapse import lapse_after_checkin

        lapse = lapse_after_checkin(store, uses_outcome)
        if lapse is not None:
            from recoverylog.render.lapse import render_lapse

            render_lapse(console, lapse)
    if store.settings.warnings:
        from recoverylog.render.warnings import render_warnings
        from recoverylog.reports.warnings import early_warnings

        render_warnings(console, early_warnings(store, store.today()))
    if ask and result.date == store.today():
        from recoverylog.cli.checkin_ask import offer_backfill

        offer_backfill(store, console)


def _after_checkin_json(store, result) -> dict:
    from recoverylog.render.lapse import lapse_json
    from recoverylog.reports.lapse import lapse_after_checkin
    from recoverylog.reports.warnings import early_warnings, warnings_json
    from recoverylog.services.uses import UsesRecorded, outcome

    recorded = result.extras.get("uses")
    uses_outcome = outcome(store, recorded) if isinstance(recorded, UsesRecorded) else None
    on = store.settings.warnings
    return {"lapse": lapse_json(lapse_after_checkin(store, uses_outcome)),
            "warnings": warnings_json(early_warnings(store, store.today()) if on else ())}


def _feature_hooks(store, day, used, sober, meetings, reached_out, ask) -> list:
    """Everything else a check-in can record (use, meetings, outreach), validated and asked for
    now, written later inside the check-in's own transaction. Each feature module provides a
    `checkin_hook(...)` returning a callable (conn, day) -> (key, value) or None when it has
    nothing to record: the use part's value is a typed `UsesRecorded`, the others a dict of
    {"lines": [...], "data": ...}."""
    hooks = []
    from recoverylog.storage import substances as substance_rows

    # No substance and none named: the use hook would be None (it raises only for --used/--sober).
    if used or sober or substance_rows.any_exist(store):
        from recoverylog.services import uses

        hook = uses.checkin_hook(store, day, used=used, sober=sober, ask=ask_use if ask else None)
        if hook:
            hooks.append(hook)
    if meetings:
        from recoverylog.services import meetings as meeting_service

        hooks.append(meeting_service.checkin_hook(store, day, names=meetings))
    if reached_out:
        from recoverylog.services import contacts

        hooks.append(contacts.checkin_hook(store, day, reached_out=reached_out))
    return hooks


def _medication_hooks(store, day, taken, missed, ask) -> list:
    """--med-taken / --med-missed, and on a terminal a question for each scheduled medication
    not named and not yet recorded that day (Enter skips: the day stays unrecorded)."""
    if not (taken or missed or ask):
        return []  # nothing named and nothing to ask: the hook would be None (and its import ~6 ms)
    from recoverylog.services import medications

    answers = {}
    if ask:
        named = {" ".join(n.split()).lower() for n in taken + missed}
        for med in medications.scheduled(store, day):
            if med.name.lower() in named or medications.recorded_on(store, med, day):
                continue
            answers[med.name] = _ask_medication(med.name, day, store.today())
        answers = {k: v for k, v in answers.items() if v is not None}
    hook = medications.checkin_hook(store, day, taken=taken, missed=missed, answers=answers)
    return [hook] if hook else []


def _ask_medication(name: str, day, today) -> bool | None:
    when = "today" if day == today else f"on {day.isoformat()}"
    while True:
        text = typer.prompt(f"Did you take {name} {when}? (y = taken, n = not taken, Enter = skip)",
                            default="", show_default=False, err=True).strip().lower()
        if not text:
            return None
        if text in ("y", "yes"):
            return True
        if text in ("n", "no"):
            return False
        typer.echo("Please answer y, n, or press Enter to skip.", err=True)


def _public(row: dict) -> dict:
    return {k: row.get(k) for k in ("date", "mood", "craving", "stress", "sleep", "halt", "tags",
                                   "gratitude", "note", "recorded_at")}


def _ask_missing(store, entry):
    """Ask for mood and craving on a terminal when they were not given (no transaction is open)."""
    from dataclasses import replace

    from rich.prompt import IntPrompt

    from recoverylog.render.console import make_console
    from recoverylog.services.checkin import missing_required

    console = make_console(stderr=True)
    missing = missing_required(store, entry)
    answers = {}
    for name, low, high, scale in (("mood", 1, 10, "1 = worst, 10 = best"),
                                   ("craving", 0, 10, "0 = none, 10 = strongest")):
        if name not in missing:
            continue
        while True:
            value = IntPrompt.ask(f"{name.capitalize()} today [dim]({scale})[/dim]", console=console)
            if low <= value <= high:
                answers[name] = value
                break
            console.print(f"Please enter a number from {low} to {high}.")
    return replace(entry, **answers)


@checkin_app.command("show")
def show(ctx: typer.Context, day: str = typer.Argument(..., metavar="DATE", help="The check-in's date."),
         json_out: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Show one day's check-in and its earlier versions."""
    from recoverylog.errors import NotFoundError
    from recoverylog.storage import checkins as rows

    store = state(ctx).store(create=False)
    when = parse_day(ctx, day)
    row = rows.get(store, when)
    history = rows.revisions(store, when)
    if row is None:
        raise NotFoundError(f"There is no check-in for {when.isoformat()}."
                            + (" It was deleted; `recoverylog checkin undo` brings it back." if history else ""))
    if json_out:
        from recoverylog.render.jsonout import emit

        emit(_public(row) | {"revisions": history})
        return
    from recoverylog.render.checkin import render_show
    from recoverylog.render.console import make_console

    render_show(make_console(), row, history)


@checkin_app.command("delete")
def delete(ctx: typer.Context, day: str = typer.Argument(..., metavar="DATE"),
           yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask to confirm.")) -> None:
    """Delete a day's check-in (kept as a revision: `checkin undo DATE` brings it back)."""
    from recoverylog.errors import NotFoundError, UsageError
    from recoverylog.render.console import info
    from recoverylog.services.checkin import delete_checkin
    from recoverylog.storage import checkins as rows

    store = state(ctx).store()
    when = parse_day(ctx, day)
    if rows.get(store, when) is None:
        raise NotFoundError(f"There is no check-in for {when.isoformat()}; nothing was deleted.")
    if not yes:
        if not interactive():
            raise UsageError("Deleting needs confirmation: add --yes. Nothing was deleted.")
        if not typer.confirm(f"Delete the check-in for {when.isoformat()}?", default=False, err=True):
            info("Kept. Nothing was deleted.")
            return
    delete_checkin(store, when)
    info(f"Deleted the check-in for {when.isoformat()}. "
         f"It is kept as a revision: `recoverylog checkin undo {when.isoformat()}` brings it back.")


@checkin_app.command("undo")
def undo(ctx: typer.Context, day: str = typer.Argument(..., metavar="DATE")) -> None:
    """Undo the last change to a day's check-in (restores a deleted one)."""
    from recoverylog.render.console import info
    from recoverylog.services.checkin import undo_checkin

    store = state(ctx).store()
    when = parse_day(ctx, day)
    action, _ = undo_checkin(store, when)
    info(f"The check-in for {when.isoformat()} was {action} to its earlier version.")


def checkins(
    ctx: typer.Context,
    since: Optional[str] = typer.Option(None, "--since", help="First date to list."),
    until: Optional[str] = typer.Option(None, "--until", help="Last date to list (not in the future)."),
    limit: Optional[int] = LIMIT,
    json_out: bool = typer.Option(False, "--json", help="Print a JSON list."),
) -> None:
    """List check-ins (notes shortened; `checkin show DATE` shows one in full)."""
    from recoverylog.storage import checkins as rows

    start, end = parse_range(ctx, since, until)
    store = state(ctx).store(create=False)
    items = newest(rows.list_range(store, start, end), limit)
    if json_out:
        from recoverylog.render.jsonout import emit_records

        emit_records([_public(r) | {"revisions": r["revisions"]} for r in items])
        return
    from recoverylog.render.checkin import render_list
    from recoverylog.render.console import make_console

    render_list(make_console(), items)


def register(app: typer.Typer) -> None:
    app.add_typer(checkin_app, name="checkin")
    app.command("checkins")(checkins)


def ask_use(substance, day, today) -> tuple[bool, float | None]:
    """Ask on a terminal (no transaction is open): used? then the amount when the unit has one."""
    import typer

    from recoverylog.errors import InputError
    from recoverylog.services.uses import check_amount

    when = "today" if day == today else f"on {day.strftime('%a %-d %b %Y')}"
    if not typer.confirm(f"Any {substance.name} {when}?", default=False, err=True):
        return False, None
    if substance.unit == "none":
        return True, None
    noun = "drinks" if substance.unit == "drinks" else "(count)"
    while True:
        text = typer.prompt(f"How many {noun}? (Enter to skip)", default="", show_default=False, err=True)
        if not text.strip():
            return True, None
        try:
            return True, check_amount(substance, float(text))
        except (ValueError, InputError) as exc:
            typer.echo(getattr(exc, "message", "Please enter a number greater than 0."), err=True)
