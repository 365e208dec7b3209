"""`import FILE`: a full export back into an empty database, or (`--from`) another app's export."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from recoverylog.cli.state import state


def import_command(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help="A full export (recoverylog export --profile full), "
                                "or with --from another app's export."),
    source: Optional[str] = typer.Option(None, "--from", metavar="APP",
                                         help="daylio (CSV), jrnl (jrnl --export json), loop (Loop Habit Tracker's "
                                              "CSV zip or Checkmarks.csv) or tlfb (date,amount CSV)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be added and every conflict; write nothing."),
    mood_map: Optional[list[str]] = typer.Option(None, "--mood-map", metavar="NAME=N",
                                                 help="daylio: a mood name of yours and its 1–10 value (repeatable)."),
    habit: Optional[list[str]] = typer.Option(None, "--habit", metavar="NAME=MEANING",
                                              help="loop: NAME=meetings, or NAME=substance:SUBSTANCE for a "
                                                   "'no drinking'-style habit (repeatable)."),
    substance: Optional[str] = typer.Option(None, "--substance", metavar="NAME",
                                            help="tlfb: the substance the calendar records."),
    person_id: Optional[str] = typer.Option(None, "--id", metavar="ID",
                                            help="tlfb: the calendar to read from a file with an id column."),
    json_out: bool = typer.Option(False, "--json", help="--from: print what was (or would be) imported as JSON."),
) -> None:
    """Read a full JSON export into an empty database (a new machine, or a restore), or bring
    your history from Daylio, jrnl, Loop Habit Tracker or a TLFB calendar (--from)."""
    if source is None:
        _import_full(ctx, file, extra=(dry_run, mood_map, habit, substance, person_id, json_out))
        return
    from recoverylog.errors import InputError
    from recoverylog.importers import SOURCES, read_bytes

    app = source.strip().lower()
    if app not in SOURCES:
        raise InputError(f"--from {source!r}: use one of {', '.join(SOURCES)}.")
    _check_options(app, mood_map=mood_map, habit=habit, substance=substance, person_id=person_id)
    # The whole file is read and checked before the database is opened (or created).
    label = str(file)
    data = read_bytes(file, label)
    today = state(ctx).today()
    plan = _parse(app, data, label, today, mood_map=mood_map, habit=habit, substance=substance, person_id=person_id)
    from recoverylog.render.progress import LazyProgress
    from recoverylog.services.imports import apply_plan

    app_state = state(ctx)
    if not app_state.db_path.exists():
        if plan.uses:
            import shlex

            from recoverylog.errors import NotFoundError

            name = sorted({u.substance for u in plan.uses})[0]
            raise NotFoundError(f"There is no database yet, so no substance {name!r}: add it first "
                                f"(`recoverylog substance add {shlex.quote(name)}`). Nothing was imported.")
        if dry_run:
            result = _dry_run_without_database(app_state, plan)
            _report(result, json_out)
            return
    store = app_state.store()
    with LazyProgress(f"Importing {file.name}") as progress:
        result = apply_plan(store, plan, dry_run=dry_run, progress=progress)
    _report(result, json_out)


def _dry_run_without_database(app_state, plan):
    """A dry run creates no database: compare against an empty one in a temporary folder."""
    import tempfile

    from recoverylog.services.imports import apply_plan
    from recoverylog.storage.db import open_store

    with tempfile.TemporaryDirectory(prefix="recoverylog-dry-run-") as folder:
        store = open_store(Path(folder) / "empty.db", app_state.clock)
        try:
            return apply_plan(store, plan, dry_run=True)
        finally:
            store.close()


def _report(result, json_out: bool) -> None:
    if json_out:
        from recoverylog.render.jsonout import emit, to_jsonable

        emit({"version": 1, "import": to_jsonable(result)})
        return
    from recoverylog.render.console import info
    from recoverylog.render.imports import result_lines

    for line in result_lines(result):
        info(line)


def _check_options(app: str, **given) -> None:
    from recoverylog.errors import UsageError

    allowed = {"daylio": {"mood_map"}, "jrnl": set(), "loop": {"habit"}, "tlfb": {"substance", "person_id"}}[app]
    flags = {"mood_map": "--mood-map", "habit": "--habit", "substance": "--substance", "person_id": "--id"}
    for name, value in given.items():
        if value and name not in allowed:
            raise UsageError(f"{flags[name]} does not apply to --from {app}.")
    if app == "tlfb" and not given["substance"]:
        raise UsageError("--from tlfb needs --substance NAME: the substance the calendar records.")


def _parse(app: str, data: bytes, label: str, today, *, mood_map, habit, substance, person_id):
    if app == "daylio":
        from recoverylog.importers import daylio

        return daylio.parse(data, label, today, daylio.parse_mood_map(mood_map))
    if app == "jrnl":
        from recoverylog.importers import jrnl

        return jrnl.parse(data, label, today)
    if app == "loop":
        from recoverylog.importers import loop

        return loop.parse(data, label, today, loop.parse_habit_options(habit))
    from recoverylog.importers import tlfb

    return tlfb.parse(data, label, today, substance or "", person_id)


def _import_full(ctx: typer.Context, file: Path, extra) -> None:
    import gc

    from recoverylog.errors import UsageError
    from recoverylog.exports.full import import_document, read_backup
    from recoverylog.render.console import info

    if any(extra):
        raise UsageError("--dry-run, --mood-map, --habit, --substance, --id and --json go with --from APP; "
                         "a full export is read back whole into an empty database.")
    # The parsed backup is a tree (no object refers back to another), so nothing here is left for
    # the cycle collector; it would only walk the tens of thousands of rows again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        found = read_backup(file, str(file))  # a malformed file is refused before a database is created
        store = state(ctx).store()
        counts = import_document(store, found.doc, str(file), plain=found.plain,
                                 digest_matches=found.digest_matches, judged=found.tables)
    finally:
        if collecting:
            gc.enable()
    total = sum(counts.values())
    parts = ", ".join(f"{n} {t if n != 1 else t.removesuffix('s')}" for t, n in counts.items()
                      if n and t not in ("settings", "revisions", "exports"))
    info(f"Imported {total} rows from {file} into {store.path}" + (f" ({parts})." if parts else "."))


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
