"""`export` (profiles sponsor, court, care, full) and `export log`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from recoverylog.cli.options import LIMIT, first, newest  # noqa: F401
from recoverylog.cli.state import parse_day, state

# With no --format, the output file's extension says which one is wanted.
FORMAT_BY_SUFFIX = {".json": "json", ".html": "html", ".htm": "html", ".md": "markdown",
                    ".markdown": "markdown", ".csv": "csv"}

export_app = typer.Typer(help="Export what you choose to share: a sponsor summary, a court attendance sheet, "
                              "or a full backup. Previews print to the terminal; nothing is sent anywhere.")


@export_app.callback(invoke_without_command=True)
def export(
    ctx: typer.Context,
    profile: str = typer.Option("sponsor", "--profile", "-p", help="sponsor (summary), court (attendance sheet), care (for a counselor, therapist or prescriber: "
                                 "self-assessments, medication, trends) or full (everything, for your own backup)."),
    week: bool = typer.Option(False, "--week", help="The week (Monday first) containing --as-of."),
    month: bool = typer.Option(False, "--month", help="The calendar month containing --as-of."),
    since: Optional[str] = typer.Option(None, "--since", help="First day of the period."),
    until: Optional[str] = typer.Option(None, "--until", help="Last day of the period (not in the future)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Treat this day as today (default: today)."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="markdown, html, json or csv (default: from the --output file's "
                                     "extension, e.g. week.json; else it depends on the profile)."),
    include_notes: bool = typer.Option(False, "--include-notes", help="Include notes, gratitude and tags (left out by default)."),
    include_warnings: bool = typer.Option(False, "--include-warnings",
                                          help="Include early warnings (sponsor summary; people named by role only)."),
    include_health: bool = typer.Option(False, "--include-health", help="Sponsor summary: add self-assessments and medication (left out by default)."),
    name: Optional[str] = typer.Option(None, "--name", help="The name to show on the summary (default: none)."),
    to: Optional[str] = typer.Option(None, "--to", metavar="LABEL", help="Who it is for, kept in your export log (e.g. 'sponsor')."),
    message: Optional[str] = typer.Option(None, "--message", help="Things I want to talk about (one line, sponsor profile)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write to FILE (mode 0600) instead of the terminal; '-' is standard output."),
    force: bool = typer.Option(False, "--force", help="Replace an existing --output file."),
    table: Optional[str] = typer.Option(None, "--table", metavar="TABLE",
                                        help="Court CSV: attendance (the meetings, default) or totals "
                                             "(one row per requirement period)."),
) -> None:
    """Export a summary, an attendance sheet or a full backup."""
    if ctx.invoked_subcommand is not None:
        return
    from recoverylog.exports import ExportRequest, build
    from recoverylog.render.console import info

    if fmt is None and output is not None:
        fmt = FORMAT_BY_SUFFIX.get(output.suffix.lower())  # `-o week.json` means JSON
    store = state(ctx).store(create=False)
    today = store.today()
    as_of_day = parse_day(ctx, as_of, what="--as-of date")
    request = ExportRequest(
        profile=profile.strip().lower(), format=fmt.strip().lower() if fmt else None, today=today,
        as_of=as_of_day, week=week, month=month,
        since=parse_day(ctx, since, what="--since date", default_today=False),
        until=parse_day(ctx, until, what="--until date", default_today=False),
        include_notes=include_notes, include_warnings=include_warnings, include_health=include_health, name=name, to=to, message=message,
        table=table,
    )
    from recoverylog.outfile import check_target, is_stdout

    to_stdout = output is not None and is_stdout(output)
    target = None if output is None or to_stdout else check_target(output, force=force, what="output file")
    document = build(store, request)
    if request.profile == "full":
        from recoverylog.storage.keys import has_key

        if has_key(store.path):
            info("Your signing key is not in this backup. To move it: `recoverylog key export-private FILE` here, "
                 "then `recoverylog key import-private FILE` on the new machine.")
    if request.profile == "court" and include_notes:
        info("The court sheet carries attendance only, never notes: --include-notes changes nothing there.")
    if include_health and request.profile != "sponsor":
        info(f"--include-health is for the sponsor summary; the {request.profile} export "
             + ("always carries self-assessments and medication." if request.profile in ("care", "full")
                else "carries attendance only, never health data."))
    if document.profile == "sponsor" and not document.extra.get("fingerprint") and (target is not None or to_stdout
                                                                                   or not sys.stdout.isatty()):
        from recoverylog.storage.exports import list_exports

        if not any(r["profile"] == "sponsor" for r in list_exports(store)):
            info("Tip: `recoverylog key init` makes a signing key, so your sponsor can check that a summary "
                 "came from you and was not changed (shown once).")
    if target is not None:
        _write_and_log(store, document, target, to)
        period = (f" for {document.period_start.isoformat()} to {document.period_end.isoformat()}"
                  if document.period_start and document.period_end else "")
        signed = (f" Signed with your key (fingerprint {document.extra['fingerprint']})."
                  if document.extra.get("fingerprint") and document.format == "json" else "")
        info(f"Wrote the {document.profile} {document.format} export{period} to {output} (only you can read it). "
             f"It is logged in `recoverylog export log`.{signed}")
        return
    sys.stdout.write(document.content if document.content.endswith("\n") else document.content + "\n")
    sys.stdout.flush()
    destination = "terminal" if sys.stdout.isatty() and not to_stdout else "pipe"
    if destination != "terminal":
        _log(store, document, to, "stdout" if to_stdout else destination)


def _log(store, document, to, destination: str) -> None:
    from recoverylog.storage.exports import log_export

    log_export(store, profile=document.profile, fmt=document.format, period_start=document.period_start,
               period_end=document.period_end, digest=document.digest, to_label=to, destination=destination)


def _write_and_log(store, document, target: Path, to) -> None:
    """The file and its log entry together (docs/definitions.md §12): the content goes to a 0600
    temp file, the log entry is committed, then the temp file is renamed into place. If the
    log cannot be written (read-only database, full disk) the temp file is removed: no file."""
    from recoverylog.errors import RecoverylogError, StorageError
    from recoverylog.outfile import atomic_output

    try:
        with atomic_output(target) as temp:
            with open(temp, "w", encoding="utf-8", newline="") as handle:
                handle.write(document.content)
            _log(store, document, to, str(target))
    except (RecoverylogError, OSError) as exc:
        message = getattr(exc, "message", None) or str(exc)
        if store.saved:
            raise StorageError(f"The export is in the export log, but {target} could not be written "
                               f"({message}). No file was left; run the export again.") from None
        raise StorageError(f"No file was written and nothing was logged: {message}") from None


@export_app.command("log")
def export_log(ctx: typer.Context, limit: Optional[int] = LIMIT,
               json_out: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List every export that left the terminal: when, profile, period, format, digest, to whom."""
    from recoverylog.storage.exports import list_exports

    rows = newest(list_exports(state(ctx).store(create=False)), limit)
    if json_out:
        from recoverylog.render.jsonout import emit

        emit([{"when": r["created_at"], "profile": r["profile"], "period_start": r["period_start"],
               "period_end": r["period_end"], "format": r["format"], "digest": r["digest"],
               "to": r["to_label"], "destination": r["destination"]} for r in rows])
        return
    if not rows:
        typer.echo("Nothing has been exported yet.")
        return
    from rich.table import Table

    from recoverylog.render.console import make_console

    table = Table(box=None, header_style="bold", pad_edge=False)
    show_to = any(r["to_label"] for r in rows)
    for col in ("When (UTC)", "What", "Period") + (("To",) if show_to else ()) + ("Digest",):
        fixed = col in ("When (UTC)", "Period", "Digest")
        table.add_column(col, overflow="fold", no_wrap=fixed, min_width=8 if fixed else None)
    for r in rows:
        table.add_row(*_log_cells(r, show_to))
    make_console().print(table)


def _log_cells(r: dict, show_to: bool) -> list[str]:
    """Compact cells for one export-log row: the full values are in `export log --json`."""
    from recoverylog.render.console import esc

    when = (r["created_at"] or "")[:16].replace("T", " ")
    start, end = r["period_start"], r["period_end"]
    if start and end:
        period = f"{start}…{end[5:]}" if start[:4] == end[:4] else f"{start}…{end}"
    else:
        period = start or end or "all"
    digest = (r["digest"] or "").removeprefix("sha256:")[:8] or "–"
    cells = [when, f"{r['profile']} {r['format']}", period]
    if show_to:
        cells.append(esc(r["to_label"] or ""))
    return cells + [digest]


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
