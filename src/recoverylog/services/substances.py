"""Substances (docs/definitions.md §2): add, edit, archive. Validate everything first, then one transaction.

Prescribed medication taken as directed (buprenorphine, methadone, naltrexone, …) is never
"use": it is simply not added as a substance, so nothing about it can break a count."""

from __future__ import annotations

import math
import shlex
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from recoverylog.errors import InputError, NotFoundError, UsageError
from recoverylog.records import record
from recoverylog.storage import substances as rows
from recoverylog.storage.db import Store
from recoverylog.storage.substances import Substance

UNITS = ("drinks", "count", "none")
GOALS = ("abstain", "reduce", "monitor")
PERS = ("week", "month")
MAX_NAME_CHARS = 40
RESERVED_NAMES = ("edit", "delete")  # `uses edit|delete` are sub-commands


@record
class SubstanceSpec:
    name: str
    unit: str = "none"
    goal: str = "abstain"
    max_per_day: float | None = None
    max_days: int | None = None
    per: str | None = None
    last_use: date | None = None
    sober_since: date | None = None
    milestones: str | None = None


@record
class SubstanceChanges:
    name: str | None = None
    unit: str | None = None
    goal: str | None = None
    max_per_day: float | None = None
    max_days: int | None = None
    per: str | None = None
    no_limits: bool = False
    last_use: date | None = None
    sober_since: date | None = None
    milestones: str | None = None
    unarchive: bool = False
    cost: float | None = None       # 0 removes it
    cost_per: str | None = None     # unit | day


def public(s: Substance) -> dict[str, Any]:
    return {
        "name": s.name, "unit": s.unit, "goal": s.goal, "max_per_day": s.max_per_day,
        "max_days": s.max_days, "per": s.max_days_per, "declared_last_use": s.declared_last_use,
        "milestones": s.milestones, "added_on": s.added_on, "archived_on": s.archived_on, "active": s.active,
        "cost": s.cost, "cost_per": s.cost_per,
    }


def known_names(store: Store) -> str:
    names = [s.name + ("" if s.active else " (archived)") for s in rows.list_all(store)]
    return ", ".join(names) if names else "none yet (add one with `recoverylog substance add NAME`)"


def find_substance(store: Store, name: str) -> Substance:
    found = rows.get_by_name(store, name)
    if found is None:
        raise NotFoundError(f"No substance named {name.strip()!r}. Known: {known_names(store)}.")
    return found


def clean_name(name: str) -> str:
    text = " ".join(name.split())
    if not text:
        raise InputError("A substance needs a name, e.g. alcohol or nicotine.")
    if ":" in text or "," in text:
        raise InputError(f"{text!r} contains ':' or ',', which `--used NAME:AMOUNT` uses as separators; "
                         "choose a name without them.")
    from recoverylog.textcheck import check_text

    check_text(name, "substance name", multiline=False)  # docs/definitions.md §12
    if len(text) > MAX_NAME_CHARS:
        raise InputError(f"A substance name can have at most {MAX_NAME_CHARS} characters.")
    if text.lower() in RESERVED_NAMES:
        raise InputError(f"{text!r} is a command word (`uses {text.lower()}`); choose another name.")
    return text


def _choice(value: str, allowed: tuple[str, ...], flag: str) -> str:
    word = value.strip().lower()
    if word not in allowed:
        raise InputError(f"{flag} {value!r} is not one of: {', '.join(allowed)}.")
    return word


def _milestones(value: str | None, *, allow_default: bool) -> tuple[bool, bool | None]:
    """(given?, value): 'default' means the goal's default (stored as NULL)."""
    if value is None:
        return False, None
    word = value.strip().lower()
    if word in ("on", "yes", "true"):
        return True, True
    if word in ("off", "no", "false"):
        return True, False
    if allow_default and word == "default":
        return True, None
    raise InputError(f"--milestones {value!r} is not on or off{' or default' if allow_default else ''}.")


def _declared(last_use: date | None, sober_since: date | None) -> date | None:
    if last_use is not None and sober_since is not None:
        raise UsageError("Give --last-use or --sober-since, not both (--sober-since D means last use D − 1).")
    if sober_since is not None:
        return sober_since - timedelta(days=1)
    return last_use


def check_limits(unit: str, goal: str, max_per_day: float | None, max_days: int | None, per: str | None) -> None:
    has_limits = max_per_day is not None or max_days is not None or per is not None
    if goal != "reduce" and has_limits:
        raise UsageError("--max-per-day, --max-days and --per belong to a reduce goal: add --goal reduce.")
    if goal != "reduce":
        return
    if max_per_day is None and max_days is None:
        raise UsageError("A reduce goal needs a limit: --max-per-day N and/or --max-days N --per week|month.")
    if max_per_day is not None:
        if unit == "none":
            raise InputError("--max-per-day needs an amount to compare: use --unit drinks or --unit count "
                             "(with --unit none, limit use days with --max-days N --per week|month).")
        if math.isnan(max_per_day) or math.isinf(max_per_day) or max_per_day <= 0:
            raise InputError(f"--max-per-day {max_per_day:g} must be a number greater than 0.")
        from recoverylog.limits import MAX_AMOUNT

        if max_per_day > MAX_AMOUNT:
            raise InputError(f"--max-per-day {max_per_day:g} is more than {MAX_AMOUNT:g}, "
                             "the most one day's record can hold.")
    if (max_days is None) != (per is None):
        raise UsageError("--max-days N and --per week|month go together.")
    if max_days is not None:
        top = 7 if per == "week" else 31
        if not 1 <= max_days <= top:
            raise InputError(f"--max-days {max_days} is out of range: use 1–{top} per {per}.")


def add_substance(store: Store, spec: SubstanceSpec) -> Substance:
    name = clean_name(spec.name)
    unit = _choice(spec.unit, UNITS, "--unit")
    goal = _choice(spec.goal, GOALS, "--goal")
    per = _choice(spec.per, PERS, "--per") if spec.per is not None else None
    check_limits(unit, goal, spec.max_per_day, spec.max_days, per)
    declared = _declared(spec.last_use, spec.sober_since)
    _, milestones = _milestones(spec.milestones, allow_default=False)
    if rows.get_by_name(store, name) is not None:
        raise InputError(f"{name!r} is already tracked (names are matched ignoring case). "
                         f"Change it with `recoverylog substance edit {shlex.quote(name)}`.")
    stamp, today = store.stamp()
    values = {
        "name": name, "unit": unit, "goal": goal, "max_per_day": spec.max_per_day, "max_days": spec.max_days,
        "max_days_per": per, "declared_last_use": declared.isoformat() if declared else None,
        "milestones": None if milestones is None else int(milestones),
        "added_on": today, "created_at": stamp, "archived_on": None,
    }
    with store.write() as conn:
        if rows.name_taken(conn, name):
            raise InputError(f"{name!r} is already tracked.")
        rows.insert(conn, values)
    return find_substance(store, name)


def edit_substance(store: Store, name: str, changes: SubstanceChanges) -> tuple[Substance, Substance, list[str]]:
    """Returns (before, after, names of changed fields). The earlier row is kept as a revision."""
    from recoverylog.storage import uses as use_rows

    before = find_substance(store, name)
    after = before
    if changes.name is not None:
        new_name = clean_name(changes.name)
        other = rows.get_by_name(store, new_name)
        if other is not None and other.id != before.id:
            raise InputError(f"{new_name!r} is already tracked; choose another name.")
        after = replace(after, name=new_name)
    if changes.unit is not None:
        unit = _choice(changes.unit, UNITS, "--unit")
        if unit == "none" and before.unit != "none" and use_rows.count_with_amount(store, before.id):
            raise InputError(f"{before.name} has records with amounts; a 'none' unit cannot hold them. "
                             "Nothing was changed.")
        after = replace(after, unit=unit)
    if changes.goal is not None:
        goal = _choice(changes.goal, GOALS, "--goal")
        after = replace(after, goal=goal)
        if goal != "reduce":
            after = replace(after, max_per_day=None, max_days=None, max_days_per=None)
    if changes.no_limits:
        if any(v is not None for v in (changes.max_per_day, changes.max_days, changes.per)):
            raise UsageError("--no-limits removes limits; do not give new ones with it.")
        after = replace(after, max_per_day=None, max_days=None, max_days_per=None)
    if changes.max_per_day is not None:
        after = replace(after, max_per_day=changes.max_per_day)
    if changes.max_days is not None or changes.per is not None:
        per = _choice(changes.per, PERS, "--per") if changes.per is not None else after.max_days_per
        after = replace(after, max_days=changes.max_days if changes.max_days is not None else after.max_days,
                        max_days_per=per)
    check_limits(after.unit, after.goal, after.max_per_day, after.max_days, after.max_days_per)
    declared = _declared(changes.last_use, changes.sober_since)
    if declared is not None:
        after = replace(after, declared_last_use=declared)
    given, milestones = _milestones(changes.milestones, allow_default=True)
    if given:
        after = replace(after, milestones=milestones)
    if changes.cost is not None or changes.cost_per is not None:
        after = _with_cost(after, changes.cost, changes.cost_per)
    if changes.unarchive:
        if before.active:
            raise InputError(f"{before.name} is not archived.")
        after = replace(after, archived_on=None)
    old, new = before.as_row(), after.as_row()
    changed = {k: v for k, v in new.items() if old[k] != v}
    if changed:
        with store.write() as conn:
            store.add_revision(conn, "substance", str(before.id), "update", old)
            rows.update(conn, before.id, changed)
    labels = {"max_days_per": "per", "declared_last_use": "declared last use", "archived_on": "archived"}
    return before, after, [labels.get(k, k.replace("_", " ")) for k in changed]


COST_PER = ("unit", "day")


def _with_cost(s: Substance, cost: float | None, cost_per: str | None) -> Substance:
    """What one unit, or a typical day before, cost: the basis of money not spent
    (docs/definitions.md §10). `--cost 0` removes it."""
    import math

    if cost is not None and (math.isnan(cost) or math.isinf(cost) or cost < 0):
        raise InputError(f"--cost {cost:g} is not an amount of money: use a number such as 12.50 (0 removes it).")
    if cost == 0:
        if cost_per is not None:
            raise UsageError("--cost 0 removes the cost; leave out --cost-per.")
        return replace(s, cost=None, cost_per=None)
    per = _choice(cost_per, COST_PER, "--cost-per") if cost_per is not None else (
        s.cost_per or ("day" if s.unit == "none" else "unit"))
    if per == "unit" and s.unit == "none":
        raise InputError(f"{s.name} is recorded as used or not, without amounts, so a cost per unit cannot be "
                         "counted: use --cost-per day (what a typical day of use cost). Nothing was changed.")
    amount = cost if cost is not None else s.cost
    if amount is None:
        raise UsageError("--cost-per needs --cost AMOUNT (what one unit, or a typical day, cost).")
    return replace(s, cost=round(amount, 2), cost_per=per)


def archive_substance(store: Store, name: str) -> Substance:
    substance = find_substance(store, name)
    if not substance.active:
        raise InputError(f"{substance.name} was already archived on {substance.archived_on.isoformat()}.")
    _, today = store.stamp()
    with store.write() as conn:
        store.add_revision(conn, "substance", str(substance.id), "update", substance.as_row())
        rows.update(conn, substance.id, {"archived_on": today})
    return replace(substance, archived_on=date.fromisoformat(today))
