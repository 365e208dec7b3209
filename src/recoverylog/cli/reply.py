"""`reply SUMMARY` (the sponsor answers a summary) and `inbox`, `inbox add|show|accept` (the person keeps it)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from recoverylog.cli.state import state

inbox_app = typer.Typer(help="Replies your sponsor sent to your summaries. `inbox add FILE` checks one and keeps "
                             "it; a suggested goal becomes yours only with `inbox accept`.")


def reply(
    ctx: typer.Context,
    summary: Path = typer.Argument(..., metavar="SUMMARY", help="The sponsor summary (JSON) you are answering."),
    note: str = typer.Option(..., "--note", help="What you want to say back."),
    ask: Optional[str] = typer.Option(None, "--ask", help="A question for them (optional)."),
    suggest_goal: list[str] = typer.Option([], "--suggest-goal", help="A goal to suggest; repeat for several. "
                                           "It becomes theirs only if they accept it."),
    name: Optional[str] = typer.Option(None, "--name", help="Your name, as they know you (optional)."),
    output: Path = typer.Option(..., "--output", "-o", metavar="FILE", help="Where to write the reply (JSON)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing FILE."),
) -> None:
    """Write a reply to a summary someone sent you; signed with your key when you have one (`key init`)."""
    from recoverylog.clock import utc_timestamp
    from recoverylog.errors import InputError
    from recoverylog.exports.envelope import dumps
    from recoverylog.render.console import info
    from recoverylog.services.keys import sign_if_key
    from recoverylog.services.replies import build_reply

    app_state = state(ctx)
    target = output.expanduser()
    if target.is_dir():
        raise InputError(f"{output} is a folder; give a file name, e.g. {output / 'reply.json'}. Nothing was written.")
    if target.exists() and not force:
        raise InputError(f"{output} already exists; nothing was written. Use --force to replace it.")
    doc = build_reply(summary, note=note, ask=ask, goals=list(suggest_goal), sender=name,
                      generated_at=utc_timestamp(app_state.clock.now()))
    doc, fingerprint = sign_if_key(app_state.db_path, doc)
    from recoverylog.cli.key import write_output

    write_output(output, dumps(doc), force=force, what="output file")
    period = doc["in_reply_to"]["period"]
    signed = (f"signed with your key (fingerprint {fingerprint})" if fingerprint
              else "not signed (`recoverylog key init` makes a key, so they can see it is from you)")
    info(f"Wrote a reply to the summary for {period.get('start')} to {period.get('end')} to {output}, {signed}. "
         "They add it with `recoverylog inbox add FILE`.")


@inbox_app.callback(invoke_without_command=True)
def inbox(ctx: typer.Context, json_out: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List replies to your summaries, newest first."""
    if ctx.invoked_subcommand is not None:
        return
    from recoverylog.services.replies import list_all

    app_state = state(ctx)
    replies = list_all(app_state.store()) if app_state.db_path.exists() else []  # a read creates no journal
    if json_out:
        from recoverylog.render.jsonout import emit
        from recoverylog.render.trust import reply_json

        emit([reply_json(r) for r in replies])
        return
    from recoverylog.render.trust import reply_list_lines

    for line in reply_list_lines(replies):
        typer.echo(line)


@inbox_app.command("add")
def add(ctx: typer.Context, file: Path = typer.Argument(..., metavar="FILE", help="A reply file (JSON).")) -> None:
    """Check a reply (its signature against your trusted keys; it must answer a summary you exported) and keep it."""
    from recoverylog.render.console import info
    from recoverylog.render.trust import status_text
    from recoverylog.services.replies import add_to_inbox

    number, sig = add_to_inbox(state(ctx).store(), file)
    typer.echo(f"Added reply {number}. {status_text(sig, str(file))}")
    info(f"`recoverylog inbox show {number}` reads it.")


@inbox_app.command("show")
def show(ctx: typer.Context, number: int = typer.Argument(..., metavar="N", help="The reply's number in `inbox`."),
         json_out: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Read one reply."""
    from recoverylog.services.replies import get

    reply_row = get(state(ctx).store(), number)
    if json_out:
        from recoverylog.render.jsonout import emit
        from recoverylog.render.trust import reply_json

        emit(reply_json(reply_row))
        return
    from recoverylog.render.trust import reply_lines

    for line in reply_lines(reply_row):
        typer.echo(line)


@inbox_app.command("accept")
def accept(ctx: typer.Context, number: int = typer.Argument(..., metavar="N", help="The reply's number in `inbox`."),
           goal: Optional[int] = typer.Option(None, "--goal", metavar="K",
                                              help="Which suggested goal, when the reply suggests several.")) -> None:
    """Take on a goal your sponsor suggested: it becomes one of your goals (`goal list`)."""
    from recoverylog.render.console import info
    from recoverylog.services.replies import accept as take

    goal_id, title = take(state(ctx).store(), number, goal)
    info(f"Added goal #{goal_id}: {title}. It is yours now: `recoverylog goal list` shows its progress.")


def register(app: typer.Typer) -> None:
    app.command("reply")(reply)
    app.add_typer(inbox_app, name="inbox")
