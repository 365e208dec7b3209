"""`med add|list|edit|archive|taken`: medication, kept apart from substances and use."""

from __future__ import annotations

from typing import Optional

import typer

from recoverylog.cli.options import LIMIT, first, newest  # noqa: F401
from recoverylog.cli.state import parse_day, state

med_app = typer.Typer(
    help="Medication you take (buprenorphine, methadone, naltrexone, psychiatric medication, ...): "
    "record each dose as taken or missed. Medication is never use and never touches your days without use.",
    no_args_is_help=True,
)

SCHEDULE_HELP = "daily, twice-daily, weekly or as-needed."
KIND_HELP = "moud (medication for opioid use disorder), psychiatric or other."


@med_app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The medication, e.g. buprenorphine."),
    dose: Optional[str] = typer.Option(None, "--dose", metavar="TEXT", help="The dose as prescribed, e.g. '8 mg'."),
    schedule: str = typer.Option("daily", "--schedule", help=SCHEDULE_HELP),
    kind: str = typer.Option("other", "--kind", help=KIND_HELP),
) -> None:
    """Add a medication to record doses of."""
    from recoverylog.render.console import info
    from recoverylog.render.health import schedule_text
    from recoverylog.services.medications import add_medication

    med = add_medication(state(ctx).store(), name, dose=dose, schedule=schedule, kind=kind)
    info(f"Added {med.name}" + (f" ({med.dose})" if med.dose else "") + f", {schedule_text(med.schedule)}. "
         f"`recoverylog med taken {_q(med.name)}` records a dose; check-ins ask about it too. "
         "It never counts as use.")


def _q(name: str) -> str:
    import shlex

    return shlex.quote(name)


@med_app.command("list")
def list_(ctx: typer.Context, limit: Optional[int] = LIMIT,
          json_out: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List your medications (archived ones too, marked)."""
    from recoverylog.storage.health import list_medications

    meds = first(list_medications(state(ctx).store(create=False)), limit)
    if json_out:
        from recoverylog.render.jsonout import emit
        from recoverylog.services.medications import public

        emit([public(m) for m in meds])
        return
    from recoverylog.render.console import make_console
    from recoverylog.render.health import render_medication_list

    render_medication_list(make_console(), meds)


@med_app.command("edit")
def edit(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The medication to change."),
    new_name: Optional[str] = typer.Option(None, "--name", help="A new name."),
    dose: Optional[str] = typer.Option(None, "--dose", metavar="TEXT", help="A new dose."),
    schedule: Optional[str] = typer.Option(None, "--schedule", help=SCHEDULE_HELP),
    kind: Optional[str] = typer.Option(None, "--kind", help=KIND_HELP),
    unarchive: bool = typer.Option(False, "--unarchive", help="Bring back an archived medication."),
) -> None:
    """Change a medication's name, dose, schedule or kind (the earlier values are kept)."""
    from recoverylog.render.console import info
    from recoverylog.services.medications import edit_medication

    med = edit_medication(state(ctx).store(), name, new_name=new_name, dose=dose, schedule=schedule, kind=kind,
                          unarchive=unarchive)
    info(f"Updated {med.name}. The earlier details are kept as a revision.")


@med_app.command("archive")
def archive(ctx: typer.Context, name: str = typer.Argument(..., help="The medication you no longer take.")) -> None:
    """Stop asking about a medication (its doses stay in your history)."""
    from recoverylog.render.console import info
    from recoverylog.services.medications import archive_medication

    med = archive_medication(state(ctx).store(), name)
    info(f"Archived {med.name}. Its recorded doses stay; `recoverylog med edit {_q(med.name)} --unarchive` "
         "brings it back.")


@med_app.command("taken")
def taken(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The medication."),
    date: Optional[str] = typer.Option(None, "--date", "-d", help="The day (default: today)."),
    missed: bool = typer.Option(False, "--missed", help="Record the dose as missed instead of taken."),
    dose_number: Optional[int] = typer.Option(None, "--dose-number", metavar="N",
                                              help="twice-daily: which dose, 1 or 2 (default: the first of the "
                                              "day not yet recorded)."),
    json_out: bool = typer.Option(False, "--json", help="Print what was recorded as JSON."),
) -> None:
    """Record a dose as taken (or --missed). A day with no record stays unrecorded."""
    from recoverylog.services.medications import record_dose

    day = parse_day(ctx, date)
    result = record_dose(state(ctx).store(), name, day, taken=not missed, dose_number=dose_number)
    if json_out:
        from recoverylog.render.jsonout import emit

        emit({"version": 1, "name": result.medication.name, "date": result.date, "dose_number": result.dose_number,
              "taken": result.taken, "replaced": result.replaced})
        return
    from recoverylog.render.console import info

    numbered = result.medication.schedule in ("twice-daily", "as-needed")
    which = f"dose {result.dose_number} of " if numbered else ""
    verb = "taken" if result.taken else "missed"
    info(f"Recorded {which}{result.medication.name} as {verb} on {result.date.isoformat()}."
         + (" The earlier record is kept as a revision." if result.replaced else ""))


def register(app: typer.Typer) -> None:
    app.add_typer(med_app, name="med")
