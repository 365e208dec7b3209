"""Use records (docs/definitions.md §2): one per date × substance, used yes/no (+ amount).

A day with no record is unrecorded, never sober. Recording is always explicit: `use`,
`checkin --used NAME[:AMOUNT]`, `checkin --sober`, or the check-in's questions on a terminal.
Edits and deletes keep the earlier row as a revision (entity 'use', key 'substance_id:date')."""

from __future__ import annotations

import math
import shlex
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from recoverylog.errors import InputError, NotFoundError, UsageError
from recoverylog.records import record
from recoverylog.storage import substances as substance_rows
from recoverylog.storage import uses as use_rows
from recoverylog.storage.db import Store
from recoverylog.storage.substances import Substance


@record
class UseLine:
    """What a write did to one substance's record of one date (no sentences: render/ words them)."""
    substance: Substance
    action: str                      # use | no_use | unchanged | kept (--sober kept a use) | already | unrecorded
    used: bool | None = None         # the record after the write (None: still no record)
    amount: float | None = None      # the day's amount after the write
    given: float | None = None       # the amount given now
    added_to: bool = False           # a use added to a use already recorded that day


@record
class UseConfirmation:
    """One substance after the write, judged for the date it was recorded for (docs/definitions.md §4)."""
    line: UseLine
    day: date
    today: date
    report: Any                      # reports.sobriety.SubstanceReport as of today
    day_state: str                   # daystate.classify of `day`
    period: Any = None               # reduce: daystate.PeriodVerdict of the week/month containing `day`


@record
class UsesRecorded:
    """What the check-in's use part wrote, inside its transaction."""
    day: date
    lines: tuple[UseLine, ...]

    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for ln in self.lines:
            status = {"use": "recorded", "no_use": "recorded"}.get(ln.action, ln.action)
            if ln.action == "unrecorded":
                out[ln.substance.name] = {"used": None, "amount": None, "status": "unrecorded"}
            else:
                out[ln.substance.name] = {"used": ln.used, "amount": ln.amount,
                                          "status": "kept" if ln.action in ("kept", "already") else status}
        return out


@record
class UsesOutcome:
    """The check-in's use part after COMMIT: every line, and a confirmation for each written one."""
    day: date
    today: date
    lines: tuple[UseLine, ...]
    confirmations: tuple[UseConfirmation, ...]

    def confirmation(self, substance_id: int) -> UseConfirmation | None:
        return next((c for c in self.confirmations if c.line.substance.id == substance_id), None)


@record
class UseResult:
    substance: Substance
    record: dict[str, Any]
    added_to: bool
    report: Any            # reports.sobriety.SubstanceReport as of today, after the write
    confirmation: UseConfirmation


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


def confirm(store: Store, day: date, lines: Sequence[UseLine]) -> tuple[UseConfirmation, ...]:
    """Build the reports a confirmation needs: after COMMIT, never inside the write transaction.
    Each written line is judged for its own date: its day state, and for a reduce goal the week or
    month containing that date (counted up to today)."""
    written = [ln for ln in lines if ln.action in ("use", "no_use", "unchanged")]
    if not written:
        return ()  # nothing written to confirm: the engine is not even imported (~10 ms)
    from recoverylog.reports import daystate as ds
    from recoverylog.reports.sobriety import load_tracked

    today = store.today()
    as_of = max(today, day)
    tracked = {t.substance.id: t for t in load_tracked(store, as_of, [ln.substance for ln in written])}
    out = []
    for ln in written:
        t = tracked[ln.substance.id]
        period = ds.period_verdict(t.history, day, as_of) if t.history.limits.reduce else None
        out.append(UseConfirmation(ln, day, today, t.report, t.history.state(day), period))
    return tuple(out)


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
    added_to = existing is not None and bool(existing["used"])
    line = UseLine(substance, "use", True, total, amount, added_to)
    (confirmation,) = confirm(store, day, [line])
    return UseResult(substance, row, added_to, confirmation.report, confirmation)


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

def checkin_hook(store, day, *, used, sober, ask: Callable[[Substance, date, date], tuple[bool, float | None]] | None):
    """Validate --used/--sober (and ask, through `ask`, on a terminal) before the check-in's
    transaction; return a callable (conn, day) -> ("uses", UsesRecorded) or None. `outcome`
    builds the confirmation after COMMIT. `ask(substance, day, today) -> (used, amount)` is the
    CLI's prompt: services never prompt themselves."""
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
            was_used, amount = ask(s, day, today)
            plan.append((s, "use" if was_used else "sober", amount))
        else:
            plan.append((s, "unrecorded", None))

    def write(conn, d: date) -> tuple[str, dict[str, Any]]:
        return "uses", _write_plan(store, conn, d, plan, existing)

    return write


def _write_plan(store: Store, conn, day: date, plan, existing: dict[int, dict]) -> UsesRecorded:
    stamp, today_text = store.stamp()
    lines: list[UseLine] = []
    for s, action, amount in plan:
        record = existing.get(s.id)
        if action in ("use", "sober"):
            used = action == "use"
            given = amount
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
            lines.append(UseLine(s, "unchanged" if unchanged else ("use" if used else "no_use"), used, amount, given))
        elif action in ("kept", "already"):
            lines.append(UseLine(s, action, bool(record["used"]), record["amount"]))
        else:
            lines.append(UseLine(s, "unrecorded"))
    return UsesRecorded(day, tuple(lines))


def outcome(store: Store, recorded: UsesRecorded) -> UsesOutcome:
    """After the check-in's COMMIT: the confirmations of what its use part wrote."""
    return UsesOutcome(recorded.day, store.today(), recorded.lines, confirm(store, recorded.day, recorded.lines))
