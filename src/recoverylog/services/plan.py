"""The relapse-prevention plan (Stanley–Brown safety plan plus relapse-prevention sections).

The plan is stored whole per version (`plan_versions`): every change writes a new version,
so every earlier version is kept (`plan history`). Items are the person's own words.
"""

from __future__ import annotations

import re
from dataclasses import field
from datetime import date
from typing import Any

from recoverylog.errors import InputError, UsageError
from recoverylog.records import record
from recoverylog.storage.db import Store

# (command-line name, heading, what belongs there) — in the order `plan` shows them.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("warning-signs", "Warning signs", "emotional, mental, physical"),
    ("triggers", "Triggers", "people, places, things, feelings, times"),
    ("coping", "My coping steps", "things I can do on my own"),
    ("distractions", "People and places that take my mind off things", ""),
    ("help", "People I can ask for help", "from your contacts, by alias"),
    ("professionals", "Professionals and services", ""),
    ("safety", "Making my surroundings safer", ""),
    ("reasons", "My reasons for recovery", ""),
    ("if-i-use", "If I use", "what I will do after a lapse"),
    ("risk-dates", "High-risk dates", "dates that may be hard"),
)
SECTION_NAMES = tuple(name for name, _, _ in SECTIONS)
TITLES = {name: title for name, title, _ in SECTIONS}
MAX_ITEM_CHARS = 300
REVIEW_AFTER_DAYS = 90
# Who comes first when the plan names no help contacts: the people most likely to pick up.
ROLE_ORDER = ("sponsor", "counselor", "coach", "peer", "family", "friend", "prescriber", "sponsee", "other")


@record
class Plan:
    sections: dict[str, list[Any]]
    version: int | None = None  # None: no plan written yet
    created_on: date | None = None
    change: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(self.sections.values())


@record
class PlanChange:
    version: int
    section: str
    change: str
    plan: Plan
    notes: tuple[str, ...] = field(default_factory=tuple)


def empty_sections() -> dict[str, list[Any]]:
    return {name: [] for name in SECTION_NAMES}


def normalize(data: dict[str, Any] | None) -> dict[str, list[Any]]:
    sections = empty_sections()
    for name in SECTION_NAMES:
        sections[name] = list((data or {}).get(name) or [])
    return sections


def parse_section(name: str) -> str:
    key = name.strip().lower().replace("_", "-")
    if key not in SECTION_NAMES:
        raise InputError(f"There is no plan section {name!r}. Sections: {', '.join(SECTION_NAMES)}.")
    return key


def load_plan(store: Store, as_of: date | None = None) -> Plan:
    from recoverylog.storage import plan as plan_rows

    row = plan_rows.current(store, as_of)
    if row is None:
        return Plan(sections=empty_sections())
    return Plan(sections=normalize(row["data"]), version=row["id"],
                created_on=date.fromisoformat(row["created_on"]), change=row["change"])


def clean_item(text: str) -> str:
    from recoverylog.textcheck import check_text

    text = " ".join(check_text(text, "plan item").split())  # docs/definitions.md §12
    if not text:
        raise InputError("The item is empty; nothing was saved. Write it in your own words.")
    if len(text) > MAX_ITEM_CHARS:
        raise InputError(f"The item is {len(text)} characters; the limit is {MAX_ITEM_CHARS}. "
                         "Nothing was saved. Shorten it or split it into two items.")
    return text


def item_label(section: str, item: Any) -> str:
    """One line for an item, as `plan` numbers it."""
    if section == "risk-dates" and isinstance(item, dict):
        when = date.fromisoformat(item["date"])
        shown = when.strftime("%-d %B") + ("" if item.get("yearly") else when.strftime(" %Y"))
        return f"{shown}: {item.get('label', '')}" + (" (every year)" if item.get("yearly") else "")
    return str(item)


def _item_number(sections: dict[str, list[Any]], section: str, text: str, what: str = "item") -> int:
    items = sections[section]
    try:
        number = int(text)
    except (TypeError, ValueError):
        raise InputError(f"{text!r} is not an item number: use the number shown by `recoverylog plan`.") from None
    if not items:
        raise InputError(f"{TITLES[section]} ({section}) has no items yet; nothing was changed.")
    if not 1 <= number <= len(items):
        span = "1" if len(items) == 1 else f"1–{len(items)}"
        raise InputError(f"{section} has {len(items)} item{'s' if len(items) != 1 else ''}: "
                         f"{what} {number} is out of range (use {span}). Nothing was changed.")
    return number


def _parse_risk_date(store: Store, words: list[str], yearly: bool) -> dict[str, Any]:
    from recoverylog.dates import parse_date

    today = store.today()
    if not words:
        raise UsageError('Give a date and a label: plan add risk-dates 2026-12-25 "first sober holiday".')
    first_error: InputError | None = None
    for take in (3, 2, 1):
        if take > len(words):
            continue
        try:
            when = parse_date(" ".join(words[:take]), today, allow_future=True, what="risk date")
        except InputError as exc:
            if take == 1:
                first_error = exc
            continue
        when = _next_if_yearless(" ".join(words[:take]), when, today)
        label = clean_item(" ".join(words[take:])) if words[take:] else ""
        if not label:
            raise UsageError('A high-risk date needs a label: plan add risk-dates 2026-12-25 "first sober holiday".')
        return {"date": when.isoformat(), "label": label, "yearly": bool(yearly)}
    raise first_error or InputError("That is not a date I can read.")


_MONTH = r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"   # compiled by `re` on first use
_YEAR = r"\d{4}"


def _next_if_yearless(text: str, when: date, today: date) -> date:
    """A risk date typed without a year ('25 December') means its next occurrence, not the last one."""
    if when >= today or not re.search(_MONTH, text, re.IGNORECASE) or re.search(_YEAR, text):
        return when
    year = today.year
    while True:
        try:
            candidate = date(year, when.month, when.day)
        except ValueError:  # 29 February: the next leap year
            year += 1
            continue
        if candidate >= today:
            return candidate
        year += 1


def _resolve_help_alias(store: Store, alias: str) -> str:
    from recoverylog.storage import contacts as contact_rows

    contact = contact_rows.get(store, alias.strip())
    if contact is None:
        known = [c["alias"] for c in contact_rows.list_all(store)]
        listing = f"Your contacts: {', '.join(known)}." if known else "You have no contacts yet."
        raise InputError(f"There is no contact {alias.strip()!r}. {listing} "
                         "Add one with `recoverylog contact add ALIAS --role ROLE`.")
    return contact["alias"]


def _save(store: Store, section: str, change: str, mutate, notes: tuple[str, ...] = ()) -> PlanChange:
    """Apply `mutate(sections)` to the current plan and write it as a new version, in one transaction."""
    from recoverylog.storage import plan as plan_rows

    stamp, today = store.stamp()
    with store.write() as conn:
        row = plan_rows.current_in(conn)
        sections = normalize(row["data"] if row else None)
        mutate(sections)
        version = plan_rows.insert_version(conn, sections, change, stamp, today)
    plan = Plan(sections=sections, version=version, created_on=date.fromisoformat(today), change=change)
    return PlanChange(version=version, section=section, change=change, plan=plan, notes=notes)


def prepare_item(store: Store, section: str, words: list[str], *, yearly: bool = False) -> tuple[Any, tuple[str, ...]]:
    """Validate an item for `section` (already parsed); return it and any notes. Writes nothing."""
    if yearly and section != "risk-dates":
        raise UsageError("--yearly is only for high-risk dates (plan add risk-dates DATE LABEL --yearly).")
    notes: tuple[str, ...] = ()
    if section == "risk-dates":
        item: Any = _parse_risk_date(store, words, yearly)
        if not yearly and date.fromisoformat(item["date"]) < store.today():
            notes = ("That date has already passed; it stays in your plan as a record. "
                     "Add --yearly if it comes back every year.",)
    elif section == "help":
        if len(words) != 1:
            raise UsageError("Add one contact at a time by alias: plan add help ALIAS.")
        item = _resolve_help_alias(store, words[0])
    else:
        if not words:
            raise UsageError(f"Write the item after the section: plan add {section} \"...\".")
        item = clean_item(" ".join(words))
    return item, notes


def edit_sections(store: Store, sections: dict[str, list[Any]], section: str, command: str) -> str:
    """Apply one `plan edit` command to `sections` in memory; return what changed, in words.

    Commands: `a TEXT` add (`y DATE LABEL` adds a yearly date), `r N` remove, `m N TO` move."""
    import shlex

    try:
        words = shlex.split(command)
    except ValueError:
        words = command.split()
    if not words:
        return ""
    verb, rest = words[0].lower(), words[1:]
    items = sections[section]
    if verb in ("a", "add", "y"):
        item, _ = prepare_item(store, section, rest, yearly=verb == "y")
        if any(_same(existing, item) for existing in items):
            raise InputError(f"{item_label(section, item)!r} is already in {section}.")
        items.append(item)
        return f"added to {section}: {item_label(section, item)}"
    if verb in ("r", "remove") and len(rest) == 1:
        number = _item_number(sections, section, rest[0])
        removed = items.pop(number - 1)
        return f"removed from {section}: {item_label(section, removed)}"
    if verb in ("m", "move") and len(rest) == 2:
        number = _item_number(sections, section, rest[0])
        to = _item_number(sections, section, rest[1], what="position")
        if to == number:
            return ""
        moved = items.pop(number - 1)
        items.insert(to - 1, moved)
        return f"moved in {section}: {item_label(section, moved)} from {number} to {to}"
    raise UsageError("Use: a TEXT (add), r N (remove), m N TO (move), Enter (next section), "
                     "s (save and finish), x (leave without saving).")


def add_item(store: Store, section_name: str, words: list[str], *, yearly: bool = False) -> PlanChange:
    section = parse_section(section_name)
    item, notes = prepare_item(store, section, words, yearly=yearly)
    current = load_plan(store).sections[section]
    if any(_same(existing, item) for existing in current):
        raise InputError(f"{item_label(section, item)!r} is already in {section}; nothing was changed.")
    change = f"added to {section}: {item_label(section, item)}"

    def mutate(sections):
        sections[section].append(item)

    return _save(store, section, change, mutate, notes)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return (a.get("date"), (a.get("label") or "").lower(), bool(a.get("yearly"))) == \
               (b.get("date"), (b.get("label") or "").lower(), bool(b.get("yearly")))
    return isinstance(a, str) and isinstance(b, str) and a.casefold() == b.casefold()


def remove_item(store: Store, section_name: str, number_text: str) -> PlanChange:
    section = parse_section(section_name)
    sections = load_plan(store).sections
    number = _item_number(sections, section, number_text)
    removed = sections[section][number - 1]
    change = f"removed from {section}: {item_label(section, removed)}"

    def mutate(current):
        # Re-check inside the transaction: the plan may have changed since it was read.
        if number > len(current[section]) or not _same(current[section][number - 1], removed):
            raise InputError("The plan changed while this command ran; nothing was changed. Run `plan` and try again.")
        del current[section][number - 1]

    return _save(store, section, change, mutate)


def move_item(store: Store, section_name: str, number_text: str, to_text: str) -> PlanChange:
    section = parse_section(section_name)
    sections = load_plan(store).sections
    number = _item_number(sections, section, number_text)
    to = _item_number(sections, section, to_text, what="position")
    moved = sections[section][number - 1]
    if to == number:
        raise InputError(f"{item_label(section, moved)!r} is already at position {to}; nothing was changed.")
    change = f"moved in {section}: {item_label(section, moved)} from {number} to {to}"

    def mutate(current):
        if number > len(current[section]) or not _same(current[section][number - 1], moved):
            raise InputError("The plan changed while this command ran; nothing was changed. Run `plan` and try again.")
        item = current[section].pop(number - 1)
        current[section].insert(to - 1, item)

    return _save(store, section, change, mutate)


def mark_reviewed(store: Store, change: str = "reviewed, no changes") -> PlanChange:
    return _save(store, "", change, lambda sections: None)


def save_whole(store: Store, sections: dict[str, list[Any]], changes: list[str]) -> PlanChange:
    """Write a plan edited on a terminal as one new version (`plan edit`)."""
    new = normalize(sections)
    change = "; ".join(changes) if changes else "reviewed, no changes"
    if len(change) > 2000:
        change = change[:1999] + "…"

    def mutate(current):
        current.clear()
        current.update(new)

    return _save(store, "", change, mutate)


def rename_contact_in(conn, old_alias: str, new_alias: str, stamp: str, today: str) -> bool:
    """Inside a contact rename's transaction: keep the plan's help list pointing at the contact."""
    from recoverylog.storage import plan as plan_rows

    row = plan_rows.current_in(conn)
    if row is None:
        return False
    sections = normalize(row["data"])
    if not any(a.lower() == old_alias.lower() for a in sections["help"]):
        return False
    sections["help"] = [new_alias if a.lower() == old_alias.lower() else a for a in sections["help"]]
    plan_rows.insert_version(conn, sections, f"contact renamed in help: {old_alias} → {new_alias}", stamp, today)
    return True


# -- what support screens read -------------------------------------------------

def help_contacts(store: Store, plan: Plan | None = None) -> tuple[tuple[str, str, str], ...]:
    """(alias, role, phone) of the people to reach: the union of the plan's help list and every
    contact, never only those the plan names. Sponsors come first, then the people the plan
    names (in its order), then everyone else by role (docs/definitions.md §10). Local screens
    only: phone numbers never leave the machine."""
    from recoverylog.storage import contacts as contact_rows

    plan = plan or load_plan(store)
    active = contact_rows.list_all(store)
    named = [a.lower() for a in plan.sections["help"]]

    def rank(c: dict) -> tuple:
        role = ROLE_ORDER.index(c["role"]) if c["role"] in ROLE_ORDER else len(ROLE_ORDER)
        in_plan = c["alias"].lower() in named
        return (c["role"] != "sponsor", not in_plan,
                named.index(c["alias"].lower()) if in_plan else role, c["id"])

    return tuple((c["alias"], c["role"], c["phone"] or "") for c in sorted(active, key=rank))


def coping_and_contacts(store: Store) -> tuple[tuple[str, ...], tuple[tuple[str, str, str], ...]]:
    """The person's coping steps and help contacts (alias, role, phone), for the screen shown
    after a high-craving or low-mood check-in."""
    plan = load_plan(store)
    return tuple(plan.sections["coping"]), help_contacts(store, plan)


@record
class OwnSupport:
    coping: tuple[str, ...]
    contacts: tuple[tuple[str, str, str], ...]
    reasons: tuple[str, ...]
    distractions: tuple[str, ...]


def own_support(store: Store) -> OwnSupport:
    plan = load_plan(store)
    return OwnSupport(coping=tuple(plan.sections["coping"]), contacts=help_contacts(store, plan),
                      reasons=tuple(plan.sections["reasons"]),
                      distractions=tuple(plan.sections["distractions"]))

