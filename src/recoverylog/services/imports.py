"""Writing an import plan (docs/definitions.md §11): one transaction, nothing overwritten.

For every date (and date × substance) the file speaks about:
- nothing stored yet: the file's values are added;
- the same value stored: nothing changes (so importing a file twice adds nothing);
- an empty field (no mood yet, no note yet): it is filled in, and the earlier check-in is kept
  as a revision; tags are added to the ones already there;
- a different value stored: it is kept as it is, and the difference is listed as a conflict.
A dry run computes exactly the same answer and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from datetime import date
from typing import Any

from recoverylog.importers import ImportPlan
from recoverylog.records import record
from recoverylog.storage import checkins as checkin_rows
from recoverylog.storage import uses as use_rows
from recoverylog.storage.db import Store

Progress = Callable[[int, int], None]


@record
class Conflict:
    date: date
    what: str                 # "mood", "note", "alcohol" …
    kept: Any                 # the stored value, left as it was
    incoming: Any             # the file's value, not written


@record
class ImportResult:
    source: str
    file: str
    dry_run: bool
    rows_read: int
    checkins_added: int = 0
    checkins_filled: int = 0          # existing check-ins that gained a mood, a note or tags
    notes: int = 0                    # notes added (on new or existing check-ins)
    uses_added: int = 0               # days with use
    days_without_use_added: int = 0   # recorded days without use
    meetings_added: int = 0
    unchanged: int = 0                # items already stored with the same value
    conflicts: tuple[Conflict, ...] = ()
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def written(self) -> int:
        return (self.checkins_added + self.checkins_filled + self.uses_added + self.days_without_use_added
                + self.meetings_added)


class _Tally:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.conflicts: list[Conflict] = []

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n


def _resolve_substances(store: Store, plan: ImportPlan) -> dict[str, Any]:
    from recoverylog.services.substances import find_substance

    return {name.casefold(): find_substance(store, name) for name in {u.substance for u in plan.uses}}


def _merge_day(store: Store, conn, entry, stamp: str, today: str, tally: _Tally, write: bool) -> None:
    existing = checkin_rows.get_in(conn, entry.date)
    if existing is None:
        row = {"date": entry.date.isoformat(), "mood": entry.mood, "craving": None, "stress": None, "sleep": None,
               "halt": [], "gratitude": None, "note": entry.note, "tags": list(entry.tags),
               "recorded_at": stamp, "recorded_on": today, "updated_at": stamp}
        tally.add("checkins_added")
        tally.add("notes", 1 if entry.note else 0)
        if write:
            checkin_rows.upsert(conn, row)
        return
    row = dict(existing)
    changed = False
    for name, value in (("mood", entry.mood), ("note", entry.note)):
        if value is None:
            continue
        if existing.get(name) is None:
            row[name] = value
            changed = True
            tally.add("notes", 1 if name == "note" else 0)
        elif existing[name] == value:
            tally.add("unchanged")
        else:
            tally.conflicts.append(Conflict(entry.date, name, existing[name], value))
    new_tags = [t for t in entry.tags if t not in existing["tags"]]
    if new_tags:
        row["tags"] = list(existing["tags"]) + new_tags
        changed = True
    if changed:
        tally.add("checkins_filled")
        if write:
            store.add_revision(conn, "checkin", entry.date.isoformat(), "update", existing)
            row["updated_at"] = stamp
            checkin_rows.upsert(conn, row)


def _merge_use(conn, entry, substance, stamp: str, today: str, tally: _Tally, write: bool) -> None:
    amount = entry.amount if substance.unit != "none" else None   # a 'used or not' substance keeps no amount
    existing = use_rows.get_in(conn, substance.id, entry.date)
    if existing is None:
        tally.add("uses_added" if entry.used else "days_without_use_added")
        if write:
            use_rows.upsert(conn, {"substance_id": substance.id, "date": entry.date.isoformat(),
                                   "used": int(entry.used), "amount": amount, "note": None, "recorded_at": stamp,
                                   "recorded_on": today, "updated_at": stamp})
        return
    same_amount = amount is None or existing["amount"] == amount
    if bool(existing["used"]) == entry.used and same_amount:
        tally.add("unchanged")
        return

    def show(used: bool, value: float | None) -> str:
        if not used:
            return "no use"
        return "used" if value is None else f"used {value:g}"

    tally.conflicts.append(Conflict(entry.date, substance.name, show(bool(existing["used"]), existing["amount"]),
                                    show(entry.used, amount)))


def _merge_meeting(conn, entry, stamp: str, today: str, tally: _Tally, write: bool) -> None:
    from recoverylog.storage import meetings as meeting_rows

    if meeting_rows.exists_on(conn, entry.date, entry.name):
        tally.add("unchanged")
        return
    tally.add("meetings_added")
    if write:
        meeting_rows.insert(conn, {"date": entry.date.isoformat(), "name": entry.name, "role": "attended",
                                   "home_group": False, "verification": "none", "recorded_at": stamp,
                                   "recorded_on": today, "updated_at": stamp})


def apply_plan(store: Store, plan: ImportPlan, *, dry_run: bool = False,
               progress: Progress | None = None) -> ImportResult:
    """Write (or, with dry_run, only compare) a checked plan in one BEGIN IMMEDIATE transaction."""
    substances = _resolve_substances(store, plan)   # an unknown substance is refused before any write
    stamp, today = store.stamp()
    tally = _Tally()
    seen_uses: set[tuple[int, date]] = set()
    total = len(plan.days) + len(plan.uses) + len(plan.meetings)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None and (done % 200 == 0 or done == total):
            progress(done, total)

    def run(conn, write: bool) -> None:
        for entry in plan.days:
            _merge_day(store, conn, entry, stamp, today, tally, write)
            step()
        for entry in plan.uses:
            substance = substances[entry.substance.casefold()]
            if (substance.id, entry.date) not in seen_uses:
                seen_uses.add((substance.id, entry.date))
                _merge_use(conn, entry, substance, stamp, today, tally, write)
            step()
        for entry in plan.meetings:
            _merge_meeting(conn, entry, stamp, today, tally, write)
            step()

    if dry_run:
        run(store.conn, False)
    else:
        with store.write() as conn:
            run(conn, True)
    c = tally.counts
    return ImportResult(source=plan.source, file=plan.label, dry_run=dry_run, rows_read=plan.rows_read,
                        checkins_added=c.get("checkins_added", 0), checkins_filled=c.get("checkins_filled", 0),
                        notes=c.get("notes", 0), uses_added=c.get("uses_added", 0),
                        days_without_use_added=c.get("days_without_use_added", 0),
                        meetings_added=c.get("meetings_added", 0), unchanged=c.get("unchanged", 0),
                        conflicts=tuple(tally.conflicts), skipped={k: v for k, v in plan.skipped.items() if v})
