"""`assess INSTRUMENT` (phq9, phq2, gad7, gad2, barc10) and `assess list|show|delete`."""

from __future__ import annotations

from typing import Optional

import typer
from typer.core import TyperGroup

from recoverylog.cli.options import LIMIT, first, newest  # noqa: F401
from recoverylog.cli.state import interactive, parse_day, parse_range, state


class _AssessGroup(TyperGroup):
    """`assess phq9` takes one; `assess list|show|delete` go to the sub-command."""

    def parse_args(self, ctx, args):
        if args and args[0] in self.commands:
            super().parse_args(ctx, [])
            ctx._protected_args, ctx.args = [args[0]], list(args[1:])
            return ctx.args
        ctx.allow_interspersed_args = True
        return super().parse_args(ctx, args)


assess_app = typer.Typer(
    cls=_AssessGroup,
    help="Validated self-assessments with their published wording: phq9 and phq2 (depression symptoms), "
    "gad7 and gad2 (anxiety symptoms), barc10 (recovery capital). A score is not a diagnosis. "
    "`assess list`, `assess show ID` and `assess delete ID` look back and correct.",
)


@assess_app.callback(invoke_without_command=True)
def assess(
    ctx: typer.Context,
    instrument: Optional[str] = typer.Argument(None, metavar="INSTRUMENT",
                                               help="phq9, phq2, gad7, gad2 or barc10."),
    date: Optional[str] = typer.Option(None, "--date", "-d", help="The day it is for (default: today)."),
    answers: Optional[str] = typer.Option(None, "--answers", metavar="0,1,2,...",
                                          help="Every item's answer, in order, comma-separated (for scripts). "
                                          "PHQ and GAD answers are 0-3, BARC-10 answers 1-6."),
    json_out: bool = typer.Option(False, "--json", help="Print the saved score as JSON."),
) -> None:
    """Take a self-assessment. On a terminal each item is asked with its published wording."""
    if ctx.invoked_subcommand is not None:
        return
    from recoverylog.errors import UsageError
    from recoverylog.services.instruments import get_instrument, parse_answers, score

    if instrument is None:
        raise UsageError("Name a self-assessment: phq9, phq2, gad7, gad2 or barc10 (see `recoverylog assess --help`).")
    inst = get_instrument(instrument)
    given = parse_answers(answers, inst) if answers is not None else None
    if given is not None:
        score(inst, given)  # refuse a wrong answer before a database is created or opened
    day = parse_day(ctx, date)
    if given is None:
        if not interactive():
            raise UsageError(f"{inst.name} needs every answer: give --answers with {len(inst.items)} values, "
                             "or run it on a terminal to be asked. Nothing was saved.")
        given = _ask(inst)  # no transaction is open while asking
    from recoverylog.services.assessments import save_assessment

    store = state(ctx).store()
    saved = save_assessment(store, inst, day, given)
    if json_out:
        from recoverylog.render.jsonout import emit

        emit({"version": 1, "id": saved.id, "instrument": inst.key, "name": inst.name,
              "date": saved.date, "answers": list(saved.score.answers), "total": saved.score.total,
              "band": saved.score.band, "range": [inst.min, inst.max],
              "item9_positive": saved.score.item9_positive, "suggest": saved.score.suggest})
    else:
        from recoverylog.render.console import info
        from recoverylog.render.health import saved_lines

        for line in saved_lines(saved):
            info(line)
        if saved.score.suggest:
            info(f"`recoverylog assess {saved.score.suggest}` takes the full questionnaire.")
    if saved.score.item9_positive:
        _show_help_now(store, json_out)


def _show_help_now(store, json_out: bool) -> None:
    """PHQ-9 item 9 above 0, whatever the total: the help-now panel at once (the same renderer
    as `recoverylog help-now`). On stderr when --json keeps stdout for data."""
    from recoverylog.render.console import make_console
    from recoverylog.render.health import item9_intro
    from recoverylog.render.support import HelpNowView, render_help_now
    from recoverylog.services.plan import own_support
    from recoverylog.services.support import crisis_lines

    console = make_console(stderr=json_out)
    console.print()
    console.print(item9_intro(), soft_wrap=True)
    console.print()
    render_help_now(console, HelpNowView(crisis=crisis_lines(store.settings.crisis_locale), own=own_support(store)))


def _ask(inst) -> tuple[int, ...]:
    from rich.prompt import IntPrompt

    from recoverylog.render.console import esc, make_console

    console = make_console(stderr=True)
    console.print(f"[bold]{esc(inst.title)}[/]")
    if inst.stem:
        console.print(esc(inst.stem))
    choices = "  ".join(f"{o.value} = {esc(o.label)}" for o in inst.options)
    out = []
    for number, item in enumerate(inst.items, 1):
        console.print()
        console.print(f"{number}. {esc(item)}")
        console.print(f"[dim]{choices}[/]")
        while True:
            value = IntPrompt.ask("Answer", console=console)
            if value in inst.values:
                out.append(value)
                break
            console.print(f"Please enter one of {', '.join(str(v) for v in inst.values)}.")
    return tuple(out)


@assess_app.command("list")
def list_(
    ctx: typer.Context,
    instrument: Optional[str] = typer.Option(None, "--instrument", "-i", help="Only this one (phq9, gad7, ...)."),
    since: Optional[str] = typer.Option(None, "--since", help="First date to list."),
    until: Optional[str] = typer.Option(None, "--until", help="Last date to list."),
    limit: Optional[int] = LIMIT,
    json_out: bool = typer.Option(False, "--json", help="Print a JSON list."),
) -> None:
    """List the self-assessments you have taken, oldest first."""
    from recoverylog.services.instruments import get_instrument, load_instruments
    from recoverylog.storage.health import list_assessments

    key = get_instrument(instrument).key if instrument else None
    start, end = parse_range(ctx, since, until)
    items = newest(list_assessments(state(ctx).store(create=False), key, start, end), limit)
    if json_out:
        from recoverylog.render.jsonout import emit

        emit([_public(r) for r in items])
        return
    from recoverylog.render.console import make_console
    from recoverylog.render.health import render_assessment_list

    render_assessment_list(make_console(), items, load_instruments())


def _public(r) -> dict:
    return {"id": r.id, "instrument": r.instrument, "date": r.date.isoformat(), "answers": list(r.answers),
            "total": r.total, "band": r.band, "item9_positive": r.item9_positive, "recorded_at": r.recorded_at}


@assess_app.command("show")
def show(ctx: typer.Context, assessment_id: int = typer.Argument(..., metavar="ID", help="Its id (`assess list`)."),
         json_out: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Show one self-assessment: each item, your answer, the score."""
    from recoverylog.errors import NotFoundError
    from recoverylog.services.instruments import load_instruments
    from recoverylog.storage.health import get_assessment

    row = get_assessment(state(ctx).store(create=False), assessment_id)
    if row is None:
        raise NotFoundError(f"No self-assessment with id {assessment_id}; `recoverylog assess list` shows them.")
    inst = load_instruments()[row.instrument]
    if json_out:
        from recoverylog.render.jsonout import emit

        emit(_public(row) | {"name": inst.name, "range": [inst.min, inst.max],
                             "items": [{"text": t, "answer": a, "label": inst.option_label(a)}
                                       for t, a in zip(inst.items, row.answers, strict=False)]})
        return
    from recoverylog.render.console import make_console
    from recoverylog.render.health import render_assessment_show

    render_assessment_show(make_console(), row, inst)


@assess_app.command("delete")
def delete(ctx: typer.Context, assessment_id: int = typer.Argument(..., metavar="ID"),
           yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask to confirm.")) -> None:
    """Delete a self-assessment (it is kept as a revision)."""
    from recoverylog.errors import NotFoundError, UsageError
    from recoverylog.render.console import info
    from recoverylog.services.assessments import delete_assessment
    from recoverylog.services.instruments import load_instruments
    from recoverylog.storage.health import get_assessment

    store = state(ctx).store()
    row = get_assessment(store, assessment_id)
    if row is None:
        raise NotFoundError(f"No self-assessment with id {assessment_id}; nothing was deleted.")
    name = load_instruments()[row.instrument].name
    if not yes:
        if not interactive():
            raise UsageError("Deleting needs confirmation: add --yes. Nothing was deleted.")
        if not typer.confirm(f"Delete the {name} of {row.date.isoformat()}?", default=False, err=True):
            info("Kept. Nothing was deleted.")
            return
    delete_assessment(store, assessment_id)
    info(f"Deleted the {name} of {row.date.isoformat()} (id {assessment_id}). It is kept as a revision.")


def register(app: typer.Typer) -> None:
    app.add_typer(assess_app, name="assess")
