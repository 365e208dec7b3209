"""Medication (docs/definitions.md §9): add, edit, archive, and doses recorded as taken or missed.

Medication is kept apart from substances and uses: it is never use and never touches any count
of days without use. A dose with no record is unrecorded, never taken and never missed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from recoverylog.errors import InputError, NotFoundError, UsageError
from recoverylog.records import record
from recoverylog.storage import health as rows
from recoverylog.storage.db import Store
from recoverylog.storage.health import Medication

SCHEDULES = ("daily", "twice-daily", "weekly", "as-needed")
KINDS = ("moud", "psychiatric", "other")
MAX_NAME_CHARS = 60
MAX_DOSE_CHARS = 80
AS_NEEDED_MAX_DOSES = 24
# Medications for opioid and alcohol use disorder whose names, added as a substance, get a pointer
# to `med add` (a hint, not a refusal: a drug taken other than as prescribed can be use).
MEDICATION_NAMES = ("buprenorphine", "suboxone", "subutex", "sublocade", "zubsolv", "methadone", "naltrexone",
                    "vivitrol", "acamprosate", "disulfiram", "antabuse")  # as-needed doses recorded on one day (a guard, not advice)


@record
class DoseResult:
    medication: Medication
    date: date
    dose_number: int
    taken: bool
    replaced: bool          # an earlier record of this dose was changed (kept as a revision)


def clean_text_field(label: str, text: str | None, limit: int) -> str | None:
    """One line of text a person typed: control characters refused, length capped."""
    if text is None:
        return None
    from recoverylog.services.checkin import clean_text

    value = clean_text(label, text)
    if value is None:
        return None
    if any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 for c in value):
        raise InputError(f"The {label} contains control characters (escape codes or line breaks); nothing was saved.")
    value = " ".join(value.split())
    if len(value) > limit:
        raise InputError(f"The {label} is {len(value)} characters; keep it to {limit}. Nothing was saved.")
    return value


def looks_like_medication(name: str) -> bool:
    return " ".join(name.lower().split()) in MEDICATION_NAMES


def clean_name(name: str) -> str:
    value = clean_text_field("medication name", name, MAX_NAME_CHARS)
    if not value:
        raise InputError("A medication needs a name, e.g. buprenorphine.")
    if ":" in value or "," in value:
        raise InputError(f"{value!r} contains ':' or ','; choose a name without them.")
    return value


def _choice(label: str, value: str, allowed: tuple[str, ...]) -> str:
    word = value.strip().lower()
    if word not in allowed:
        raise InputError(f"Unknown {label} {value!r}: use {', '.join(allowed)}.")
    return word


def known_names(store: Store) -> str:
    names = [m.name + ("" if m.active else " (archived)") for m in rows.list_medications(store)]
    return ", ".join(names) if names else "none yet (add one with `recoverylog med add NAME`)"


def find_medication(store: Store, name: str) -> Medication:
    found = rows.get_medication(store, name)
    if found is None:
        raise NotFoundError(f"No medication named {' '.join(name.split())!r}. Known: {known_names(store)}.")
    return found


def public(m: Medication) -> dict[str, Any]:
    return {"name": m.name, "dose": m.dose, "schedule": m.schedule, "kind": m.kind,
            "added_on": m.added_on.isoformat(), "archived_on": m.archived_on.isoformat() if m.archived_on else None,
            "active": m.active}


def add_medication(store: Store, name: str, *, dose: str | None = None, schedule: str = "daily",
                   kind: str = "other") -> Medication:
    clean = clean_name(name)
    dose = clean_text_field("dose", dose, MAX_DOSE_CHARS)
    schedule = _choice("schedule", schedule, SCHEDULES)
    kind = _choice("kind", kind, KINDS)
    stamp, today = store.stamp()
    with store.write() as conn:
        if rows.medication_name_taken(conn, clean):
            raise InputError(f"{clean} is already in your medication list; `recoverylog med edit {clean}` changes it.")
        new_id = rows.insert_medication(conn, name=clean, dose=dose, schedule=schedule, kind=kind,
                                        added_on=today, created_at=stamp)
    return Medication(id=new_id, name=clean, dose=dose, schedule=schedule, kind=kind,
                      added_on=date.fromisoformat(today))


def edit_medication(store: Store, name: str, *, new_name: str | None = None, dose: str | None = None,
                    schedule: str | None = None, kind: str | None = None, unarchive: bool = False) -> Medication:
    med = find_medication(store, name)
    changes: dict[str, Any] = {}
    if new_name is not None:
        changes["name"] = clean_name(new_name)
    if dose is not None:
        changes["dose"] = clean_text_field("dose", dose, MAX_DOSE_CHARS)
    if schedule is not None:
        changes["schedule"] = _choice("schedule", schedule, SCHEDULES)
    if kind is not None:
        changes["kind"] = _choice("kind", kind, KINDS)
    if unarchive:
        changes["archived_on"] = None
    if not changes:
        raise UsageError("Nothing to change: give --name, --dose, --schedule, --kind or --unarchive.")
    with store.write() as conn:
        if "name" in changes and rows.medication_name_taken(conn, changes["name"], except_id=med.id):
            raise InputError(f"Another medication is already called {changes['name']}.")
        store.add_revision(conn, "medication", str(med.id), "update", rows.raw_medication(conn, med.id))
        rows.update_medication(conn, med.id, changes)
    updated = {k: v for k, v in changes.items() if k != "archived_on"}
    return replace(med, **updated, archived_on=None if unarchive else med.archived_on)


def archive_medication(store: Store, name: str) -> Medication:
    med = find_medication(store, name)
    if not med.active:
        raise InputError(f"{med.name} was already archived on {med.archived_on.isoformat()}.")
    _, today = store.stamp()
    with store.write() as conn:
        store.add_revision(conn, "medication", str(med.id), "update", rows.raw_medication(conn, med.id))
        rows.update_medication(conn, med.id, {"archived_on": today})
    return replace(med, archived_on=date.fromisoformat(today))


def _check_day(med: Medication, day: date) -> None:
    if med.archived_on is not None and day >= med.archived_on:
        raise InputError(f"{med.name} was archived on {med.archived_on.isoformat()}; "
                         f"`recoverylog med edit {med.name} --unarchive` brings it back.")


def _dose_number(med: Medication, existing: dict[int, dict], dose_number: int | None) -> int:
    """Which dose a record is for. daily and weekly: always 1. twice-daily: --dose-number 1 or 2,
    else the first of the day not yet recorded. as-needed: each record is one more dose."""
    if med.schedule in ("daily", "weekly"):
        if dose_number not in (None, 1):
            raise InputError(f"{med.name} is taken {med.schedule}: there is one dose, so --dose-number is 1.")
        return 1
    if med.schedule == "twice-daily":
        if dose_number is not None:
            if dose_number not in (1, 2):
                raise InputError(f"{med.name} is taken twice a day: --dose-number is 1 or 2.")
            return dose_number
        free = [n for n in (1, 2) if n not in existing]
        if not free:
            raise InputError(f"Both doses of {med.name} are already recorded for that day; give --dose-number 1 or 2 "
                             "to change one. Nothing was saved.")
        return free[0]
    if dose_number is not None:
        raise InputError(f"{med.name} is taken as needed: each `med taken` records one more dose, "
                         "so there is no --dose-number.")
    number = max(existing, default=0) + 1
    if number > AS_NEEDED_MAX_DOSES:
        raise InputError(f"{AS_NEEDED_MAX_DOSES} doses of {med.name} are already recorded for that day; nothing was saved.")
    return number


def record_dose(store: Store, name: str, day: date, *, taken: bool = True, dose_number: int | None = None) -> DoseResult:
    med = find_medication(store, name)
    _check_day(med, day)
    if not taken and med.schedule == "as-needed":
        raise InputError(f"{med.name} is taken as needed, so no dose can be missed; record the doses you take.")
    stamp, today = store.stamp()
    with store.write() as conn:
        existing = rows.doses_on(conn, med.id, day)
        number = _dose_number(med, existing, dose_number)
        before = existing.get(number)
        if before is not None:
            store.add_revision(conn, "medication_dose", f"{med.id}:{day.isoformat()}:{number}", "update", before)
        rows.upsert_dose(conn, medication_id=med.id, day=day, dose_number=number, taken=taken, stamp=stamp, today=today)
    return DoseResult(medication=med, date=day, dose_number=number, taken=taken, replaced=before is not None)


def scheduled(store: Store, day: date) -> list[Medication]:
    """Active medications with a schedule to ask about in a check-in (as-needed ones are not asked)."""
    return [m for m in rows.list_medications(store)
            if m.schedule != "as-needed" and (m.archived_on is None or m.archived_on > day) and m.added_on <= day]


def recorded_on(store: Store, med: Medication, day: date) -> bool:
    return bool(rows.doses_in(store, day, day, med.id))


def checkin_hook(store: Store, day: date, *, taken: list[str], missed: list[str],
                 answers: dict[str, bool] | None = None) -> Callable | None:
    """`checkin --med-taken NAME` / `--med-missed NAME` (and the interactive answers): every
    scheduled dose of that day recorded as taken or missed, inside the check-in's transaction."""
    plan: dict[int, tuple[Medication, bool]] = {}
    for names, was_taken in ((taken, True), (missed, False)):
        for name in names:
            med = find_medication(store, name)
            _check_day(med, day)
            if med.id in plan and plan[med.id][1] != was_taken:
                raise UsageError(f"{med.name} is named in both --med-taken and --med-missed; choose one.")
            if med.schedule == "as-needed" and not was_taken:
                raise InputError(f"{med.name} is taken as needed, so no dose can be missed.")
            plan[med.id] = (med, was_taken)
    for med_id, (med, was_taken) in ((m.id, (m, v)) for m, v in _answered(store, answers or {})):
        plan.setdefault(med_id, (med, was_taken))
    if not plan:
        return None
    stamp, today = store.stamp()

    def hook(conn, when: date):
        lines, data = [], []
        for med, was_taken in plan.values():
            existing = rows.doses_on(conn, med.id, when)
            if med.schedule == "as-needed":
                numbers = [max(existing, default=0) + 1]
            else:
                numbers = list(range(1, med.doses_per_day + 1))
            for number in numbers:
                if number in existing:
                    store.add_revision(conn, "medication_dose", f"{med.id}:{when.isoformat()}:{number}", "update",
                                       existing[number])
                rows.upsert_dose(conn, medication_id=med.id, day=when, dose_number=number, taken=was_taken,
                                 stamp=stamp, today=today)
            lines.append(f"{med.name}: {'taken' if was_taken else 'not taken'}"
                         + (" (both doses)" if med.schedule == "twice-daily" else "") + ".")
            data.append({"name": med.name, "taken": was_taken, "doses": len(numbers)})
        return "medications", {"lines": lines, "data": data}

    return hook


def _answered(store: Store, answers: dict[str, bool]):
    for name, was_taken in answers.items():
        yield find_medication(store, name), was_taken
