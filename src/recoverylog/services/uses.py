"""Use records (DOMAIN.md §3): one per date × substance, used yes/no (+ amount).

A day with no record is unrecorded, never sober. Recording is always explicit: `use`,
`checkin --used NAME[:AMOUNT]`, `checkin --sober`, or the check-in's questions on a terminal.
Edits and deletes keep the earlier row as a revision (entity 'use', key 'substance_id:date')."""

from __future__ import annotations

import math
import shlex
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from recoverylog.errors import InputError, NotFoundError, UsageError
from recoverylog.storage import substances as substance_rows
from recoverylog.storage import uses as use_rows
from recoverylog.storage.db import Store
from recoverylog.storage.substances import Substance


@dataclass(frozen=True)
class UseResult:
    substance: Substance
    record: dict[str, Any]
    added_to: bool
    report: Any            # reports.sobriety.SubstanceReport as of today, after the write
    lines: tuple[str, ...]


def public_record(row: dict[str, Any]) -> dict[str, Any]:
    out = {"name": row.get("name"), "date": row["date"], "used": bool(row["used"]), "amount": row["amount"],
           "note": row["note"], "recorded_at": row["recorded_at"],
           "recorded_later": row["recorded_on"] > row["date"]}
    if "revisions" in row:
        out["revisions"] = row["revisions"]
    return out


def _key(substance: Substance, day: date) -> str:
    return f"{substance.id}:{day.isoformat()}"


def check_amount(substance: Substance, amount: float | None, flag: str = "--amount") -> float | None:
    from recoverylog.limits import check_amount as check_limits

    if amount is None:
        return None
    if math.isnan(amount) or math.isinf(amount):
        raise InputError(f"{flag} {amount} is not a number.")
    if substance.unit == "none":
        raise InputError(f"{substance.name} is recorded as used or not (unit 'none'), without an amount. "
                         f"Leave out the amount, or change the unit: `recoverylog substance edit {shlex.quote(substance.name)} "
                         "--unit drinks|count`.")
    if amount < 0:
        raise InputError(f"{flag} {amount:g} is negative: an amount is 0 or more.")
    if amount == 0:
        raise InputError(f"{flag} 0 means no use: record the day with `checkin --sober` instead.")
    return check_limits(amount, flag)  # finite, at most limits.MAX_AMOUNT (docs/definitions.md §12)


def parse_used(store: Store, used: list[str]) -> list[tuple[Substance, float | None]]:
    """`--used NAME[:AMOUNT]` values, validated: known names, each once, amounts that fit the unit."""
    out: list[tuple[Substance, float | None]] = []
    seen: set[int] = set()
    for item in used:
        name, sep, amount_text = item.partition(":")
        from recoverylog.services.substances import find_substance

        substance = find_substance(store, name)
        if substance.id in seen:
            raise InputError(f"{substance.name} is named twice in --used; give it once, with the day's total.")
        seen.add(substance.id)
        amount = None
        if sep:
            try:
                amount = float(amount_text.strip())
            except ValueError:
                raise InputError(f"--used {item!r}: {amount_text!r} is not a number.") from None
        out.append((substance, check_amount(substance, amount, f"--used {substance.name}:")))
    return out


def _merge_use(existing: dict[str, Any] | None, amount: float | None, note: str | None) -> tuple[float | None, str | None]:
    """A second use on the same date adds to that day's amount; notes are kept side by side."""
    if existing is None or not existing["used"]:
        return amount, note if note else (existing or {}).get("note")
    old_amount, old_note = existing["amount"], existing["note"]
    total = old_amount if amount is None else amount if old_amount is None else old_amount + amount
    if total is not None:
        from recoverylog.limits import check_total

        check_total(total, "This use")
    notes = "; ".join(n for n in (old_note, note) if n)
    return total, notes or None


def _report_today(store: Store, substances: list[Substance]) -> dict[int, Any]:
    from recoverylog.reports.sobriety import build_substance_reports

    reports = build_substance_reports(store, store.today(), substances)
    return {s.id: r for s, r in zip(substances, reports)}


def record_use(store: Store, name: str, day: date, *, amount: float | None = None,
               note: str | None = None) -> UseResult:
    from recoverylog.services.substances import find_substance

    substance = find_substance(store, name)
    amount = check_amount(substance, amount)
    stamp, today = store.stamp()
    with store.write() as conn:
        existing = use_rows.get_in(conn, substance.id, day)
        total, merged_note = _merge_use(existing, amount, note)
        if existing is not None:
            store.add_revision(conn, "use", _key(substance, day), "update", existing)
        row = {"substance_id": substance.id, "date": day.isoformat(), "used": 1, "amount": total,
               "note": merged_note, "recorded_at": existing["recorded_at"] if existing else stamp,
               "recorded_on": existing["recorded_on"] if existing else today, "updated_at": stamp}
        use_rows.upsert(conn, row)
    from recoverylog.render.sobriety import use_recorded_lines

    added_to = existing is not None and bool(existing["used"])
    report = _report_today(store, [substance])[substance.id]
    lines = use_recorded_lines(report, day, amount, day_total=total, added_to=added_to)
    return UseResult(substance, row, added_to, report, tuple(lines))


def edit_use(store: Store, name: str, day: date, *, amount: float | None = None, note: str | None = None,
             used: bool | None = None) -> tuple[Substance, dict, dict, list[str]]:
    from recoverylog.services.substances import find_substance

    substance = find_substance(store, name)
    existing = use_rows.get(store, substance.id, day)
    if existing is None:
        raise NotFoundError(f"There is no record of {substance.name} for {day.isoformat()}. "
                            f"Record one with `recoverylog use {substance.name} --date {day.isoformat()}` "
                            "or a check-in.")
    amount = check_amount(substance, amount)
    row = dict(existing)
    if used is not None:
        row["used"] = int(used)
        if not used:
            row["amount"] = None
    if amount is not None:
        if not row["used"]:
            raise UsageError("An amount belongs to a use day: add --used, or leave out --amount.")
        row["amount"] = amount
    if note is not None:
        row["note"] = note
    changed = [k for k in ("used", "amount", "note") if row[k] != existing[k]]
    if changed:
        stamp, _ = store.stamp()
        row["updated_at"] = stamp
        with store.write() as conn:
            store.add_revision(conn, "use", _key(substance, day), "update", existing)
            use_rows.upsert(conn, row)
    return substance, existing, row, changed


def delete_use(store: Store, name: str, day: date) -> tuple[Substance, dict]:
    from recoverylog.services.substances import find_substance

    substance = find_substance(store, name)
    with store.write() as conn:
        existing = use_rows.get_in(conn, substance.id, day)
        if existing is None:
            raise NotFoundError(f"There is no record of {substance.name} for {day.isoformat()}; nothing was deleted.")
        store.add_revision(conn, "use", _key(substance, day), "delete", existing)
        use_rows.delete(conn, substance.id, day)
    return substance, existing


# -- the check-in's part ------------------------------------------------------------

def _day_words(day: date, today: date) -> str:
    from recoverylog.render.sobriety import fmt_day

    return "today" if day == today else f"on {fmt_day(day)}"


def _ask(substance: Substance, day: date, today: date) -> tuple[bool, float | None]:
    """Ask on a terminal (no transaction is open): used? then the amount when the unit has one."""
    import typer

    if not typer.confirm(f"Any {substance.name} {_day_words(day, today)}?", default=False, err=True):
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


def checkin_hook(store, day, *, used, sober, ask):
    """Validate --used/--sober (and ask on a terminal) before the check-in's transaction;
    return a callable (conn, day) -> ("uses", {"lines": [...], "data": ...}) or None."""
    substances = substance_rows.list_all(store)
    if not substances:
        if used or sober:
            raise UsageError("No substances are tracked yet: add one with `recoverylog substance add NAME`.")
        return None
    named = parse_used(store, list(used or []))
    named_ids = {s.id for s, _ in named}
    active = [s for s in substances if s.active and s.id not in named_ids]
    if not named and not active:
        return None
    existing = use_rows.on_date(store, day)
    today = store.today()
    plan: list[tuple[Substance, str, float | None]] = [(s, "use", a) for s, a in named]
    for s in active:
        record = existing.get(s.id)
        if sober:
            plan.append((s, "kept" if record and record["used"] else "sober", None))
        elif record is not None:
            plan.append((s, "already", None))
        elif ask:
            was_used, amount = _ask(s, day, today)
            plan.append((s, "use" if was_used else "sober", amount))
        else:
            plan.append((s, "unrecorded", None))

    def write(conn, d: date) -> tuple[str, dict[str, Any]]:
        return "uses", _write_plan(store, conn, d, plan, existing)

    return write


def _write_plan(store: Store, conn, day: date, plan, existing: dict[int, dict]) -> dict[str, Any]:
    from recoverylog.render.sobriety import (
        days,
        fmt_amount,
        sober_days_text,
        use_recorded_lines,
    )

    stamp, today_text = store.stamp()
    today = date.fromisoformat(today_text)
    data: dict[str, Any] = {}
    written_uses: list[tuple[Substance, float | None]] = []
    for s, action, amount in plan:
        record = existing.get(s.id)
        if action in ("use", "sober"):
            used = action == "use"
            if used and amount is None and record is not None and record["used"]:
                amount = record["amount"]  # named without an amount: the one already recorded stays
            unchanged = record is not None and bool(record["used"]) == used and (not used or record["amount"] == amount)
            if not unchanged:
                if record is not None:
                    store.add_revision(conn, "use", _key(s, day), "update", record)
                use_rows.upsert(conn, {
                    "substance_id": s.id, "date": day.isoformat(), "used": int(used), "amount": amount,
                    "note": record["note"] if record else None,
                    "recorded_at": record["recorded_at"] if record else stamp,
                    "recorded_on": record["recorded_on"] if record else today_text, "updated_at": stamp})
            if used:
                written_uses.append((s, amount))
            data[s.name] = {"used": used, "amount": amount, "status": "unchanged" if unchanged else "recorded"}
        elif action in ("kept", "already"):
            data[s.name] = {"used": bool(record["used"]), "amount": record["amount"], "status": "kept"}
        else:
            data[s.name] = {"used": None, "amount": None, "status": "unrecorded"}
    lines: list[str] = []
    touched = [s for s, action, _ in plan if action in ("use", "sober")]
    reports = _report_today(store, touched) if touched else {}
    for s, amount in written_uses:
        lines += use_recorded_lines(reports[s.id], day, amount, day_total=amount)
    when = _day_words(day, today)
    for s, action, _ in plan:
        if action == "sober":
            r = reports[s.id]
            # The counts are as of today; a day filled in later says so.
            if r.goal == "abstain" and r.days is not None:
                counts = f"{days(r.days)} without it ({sober_days_text(r)} without use)."
                lines.append(f"No use of {s.name} today: {counts}" if day == today
                             else f"No use of {s.name} {when}; as of today, {counts}")
            elif r.goal == "reduce" and r.reduce is not None:
                run = r.reduce.streak_days
                lines.append(f"No use of {s.name} {when}: a day within your goal"
                             + (f"; {days(run)} in a row." if run else "."))
            else:
                lines.append(f"No use of {s.name} {when}.")
        elif action == "kept":
            record = existing[s.id]
            amount = fmt_amount(record["amount"], s.unit)
            lines.append(f"{s.name}: the use already recorded {when}{f' ({amount})' if amount else ''} is kept; "
                         "--sober does not overwrite it. If it was a mistake: "
                         f"`recoverylog uses edit {shlex.quote(s.name)} --date {day.isoformat()} --not-used`.")
    unrecorded = [s.name for s, action, _ in plan if action == "unrecorded"]
    if unrecorded:
        names = ", ".join(unrecorded)
        lines.append(f"Use {when} stays unrecorded for {names} (a day with no record is never counted as "
                     "sober). Add --sober or --used NAME[:AMOUNT] to this check-in to record it.")
    return {"lines": lines, "data": data}
