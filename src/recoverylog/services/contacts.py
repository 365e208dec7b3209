"""The support network: contacts (by alias) and outreach (times the person reached out).

Phone numbers and notes are for local screens only: nothing here hands them to a summary.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from datetime import date
from typing import Any

from recoverylog.errors import InputError, NotFoundError, UsageError
from recoverylog.records import record
from recoverylog.storage.db import Store

ROLES = ("sponsor", "sponsee", "peer", "coach", "counselor", "prescriber", "family", "friend", "other")
HOW = ("call", "text", "in-person", "video")
ABOUT = ("check-in", "crisis", "step-work", "social")
MAX_ALIAS_CHARS = 40
MAX_PHONE_CHARS = 40
MAX_NOTE_CHARS = 1000
_PHONE = re.compile(r"^[0-9+()\-. /x#*]+$", re.IGNORECASE)


@record
class Contact:
    alias: str
    role: str
    phone: str | None
    note: str | None
    created_at: str
    removed_on: str | None = None
    last_outreach: str | None = None


@record
class ContactChange:
    action: str  # added | restored | updated | removed
    contact: Contact
    hint: str = ""


@record
class Outreach:
    alias: str
    role: str
    date: date
    how: str | None
    about: str | None
    recorded: bool = True  # False: the same outreach was already recorded for that day


@record
class OutreachRecorded:
    """What the check-in's outreach part wrote, inside its transaction (render/ words it)."""
    items: tuple[Outreach, ...]

    def data(self) -> list[dict[str, Any]]:
        return [{"alias": o.alias, "role": o.role, "how": o.how, "recorded": o.recorded} for o in self.items]


def _contact(row: dict[str, Any], last: str | None = None) -> Contact:
    return Contact(alias=row["alias"], role=row["role"], phone=row["phone"], note=row["note"],
                   created_at=row["created_at"], removed_on=row["removed_on"], last_outreach=last)


def parse_role(text: str) -> str:
    role = text.strip().lower()
    if role == "counsellor":
        role = "counselor"
    if role not in ROLES:
        raise InputError(f"Unknown role {text!r}: use one of {', '.join(ROLES)}. Nothing was saved.")
    return role


def parse_how(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    how = text.strip().lower().replace("inperson", "in-person").replace("in person", "in-person")
    if how not in HOW:
        raise InputError(f"Unknown way of reaching out {text!r}: use {', '.join(HOW)}. Nothing was saved.")
    return how


def parse_about(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    about = text.strip().lower().replace(" ", "-")
    if about not in ABOUT:
        raise InputError(f"Unknown topic {text!r}: use {', '.join(ABOUT)}. Nothing was saved.")
    return about


def clean_alias(text: str) -> str:
    alias = " ".join(text.split())
    if not alias:
        raise InputError("The alias is empty: use a first name, a nickname or initials.")
    if len(alias) > MAX_ALIAS_CHARS:
        raise InputError(f"The alias is {len(alias)} characters; the limit is {MAX_ALIAS_CHARS}. "
                         "A first name or initials is enough.")
    from recoverylog.textcheck import check_text

    check_text(alias, "alias", multiline=False)  # docs/definitions.md §12
    if ":" in alias or "," in alias:
        raise InputError(f"The alias {alias!r} cannot contain ':' or ','; they separate ALIAS:HOW on the command line.")
    return alias


def clean_phone(text: str | None) -> str | None:
    if text is None:
        return None
    phone = " ".join(text.split())
    if not phone:
        return None
    if len(phone) > MAX_PHONE_CHARS or not _PHONE.match(phone) or not any(c.isdigit() for c in phone):
        raise InputError(f"{phone[:MAX_PHONE_CHARS]!r} does not look like a phone number: use digits, "
                         "spaces and + - ( ). Nothing was saved.")
    return phone


def clean_note(text: str | None) -> str | None:
    if text is None:
        return None
    from recoverylog.textcheck import check_text

    note = check_text(text, "note").strip()  # docs/definitions.md §12
    if len(note) > MAX_NOTE_CHARS:
        raise InputError(f"The note is {len(note)} characters; the limit is {MAX_NOTE_CHARS}. Nothing was saved.")
    return note or None


def _unknown_contact(store: Store, alias: str) -> NotFoundError:
    from recoverylog.storage import contacts as rows

    known = [c["alias"] for c in rows.list_all(store)]
    listing = f"Your contacts: {', '.join(known)}." if known else "You have no contacts yet."
    return NotFoundError(f"There is no contact {alias!r}. {listing} "
                         "Add one with `recoverylog contact add ALIAS --role ROLE`. Nothing was saved.")


def _alias_hint(alias: str) -> str:
    if " " in alias:
        return "Tip: an alias (a first name or initials) keeps this journal private if anyone sees it."
    return ""


def add_contact(store: Store, alias: str, role: str, phone: str | None = None,
                note: str | None = None) -> ContactChange:
    from recoverylog.storage import contacts as rows

    alias = clean_alias(alias)
    role = parse_role(role)
    phone = clean_phone(phone)
    note = clean_note(note)
    existing = rows.get(store, alias, include_removed=True)
    if existing is not None and existing["removed_on"] is None:
        raise InputError(f"You already have a contact {existing['alias']!r} ({existing['role']}). "
                         f"Change it with `recoverylog contact edit {shlex.quote(existing['alias'])}`.")
    stamp, _ = store.stamp()
    with store.write() as conn:
        if existing is not None:
            # A removed contact with the same alias comes back; its outreach history is kept.
            store.add_revision(conn, "contact", str(existing["id"]), "restore", existing)
            rows.update(conn, existing["id"], {"alias": alias, "role": role, "phone": phone, "note": note,
                                               "removed_on": None})
            action = "restored"
        else:
            rows.insert(conn, alias, role, phone, note, stamp)
            action = "added"
        row = rows.get_in(conn, alias)
    return ContactChange(action=action, contact=_contact(row), hint=_alias_hint(alias))


_UNSET: Any = object()


def edit_contact(store: Store, alias: str, *, new_alias: str | None = None, role: str | None = None,
                 phone: Any = _UNSET, note: Any = _UNSET) -> ContactChange:
    """Change a contact. `phone`/`note` = "" clears them. The old values are kept as a revision;
    a new alias also updates the plan's help list (one transaction)."""
    from recoverylog.services.plan import rename_contact_in
    from recoverylog.storage import contacts as rows

    existing = rows.get(store, alias.strip())
    if existing is None:
        raise _unknown_contact(store, alias.strip())
    values: dict[str, Any] = {}
    if new_alias is not None:
        values["alias"] = clean_alias(new_alias)
        other = rows.get(store, values["alias"], include_removed=True)
        if other is not None and other["id"] != existing["id"]:
            raise InputError(f"The alias {values['alias']!r} is already used by another contact"
                             f"{' (removed)' if other['removed_on'] else ''}. Choose another.")
    if role is not None:
        values["role"] = parse_role(role)
    if phone is not _UNSET:
        values["phone"] = clean_phone(phone)
    if note is not _UNSET:
        values["note"] = clean_note(note)
    if not values:
        raise UsageError("Nothing to change: give --alias, --role, --phone or --note.")
    changed = {k: v for k, v in values.items() if existing[k] != v}
    if not changed:
        return ContactChange(action="unchanged", contact=_contact(existing))
    stamp, today = store.stamp()
    with store.write() as conn:
        store.add_revision(conn, "contact", str(existing["id"]), "update", existing)
        rows.update(conn, existing["id"], changed)
        if "alias" in changed:
            rename_contact_in(conn, existing["alias"], changed["alias"], stamp, today)
        row = rows.get_in(conn, changed.get("alias", existing["alias"]))
    return ContactChange(action="updated", contact=_contact(row),
                         hint=_alias_hint(changed["alias"]) if "alias" in changed else "")


def remove_contact(store: Store, alias: str) -> ContactChange:
    """Take a contact off the list. The row and its outreach history stay (history is never lost);
    adding the same alias again brings it back."""
    from recoverylog.storage import contacts as rows

    existing = rows.get(store, alias.strip())
    if existing is None:
        raise _unknown_contact(store, alias.strip())
    _, today = store.stamp()
    with store.write() as conn:
        store.add_revision(conn, "contact", str(existing["id"]), "delete", existing)
        rows.update(conn, existing["id"], {"removed_on": today})
        row = rows.get_in(conn, existing["alias"])
    return ContactChange(action="removed", contact=_contact(row))


def list_contacts(store: Store, *, include_removed: bool = False) -> tuple[Contact, ...]:
    from recoverylog.storage import contacts as rows

    last = rows.last_outreach(store)
    return tuple(_contact(r, last.get(r["alias"].lower()))
                 for r in rows.list_all(store, include_removed=include_removed))


# -- outreach ------------------------------------------------------------------

def _prepare(store: Store, alias: str, how: str | None) -> tuple[dict[str, Any], str | None]:
    from recoverylog.storage import contacts as rows

    contact = rows.get(store, alias.strip())
    if contact is None:
        raise _unknown_contact(store, alias.strip())
    return contact, parse_how(how)


def record_outreach(store: Store, alias: str, day: date, *, how: str | None = None,
                    about: str | None = None) -> Outreach:
    """`recoverylog reached-out ALIAS`: one outreach, always recorded (it is an explicit act)."""
    from recoverylog.storage import contacts as rows

    contact, how = _prepare(store, alias, how)
    about = parse_about(about)
    stamp, _ = store.stamp()
    with store.write() as conn:
        rows.add_outreach(conn, contact["id"], day, how, about, stamp)
    return Outreach(alias=contact["alias"], role=contact["role"], date=day, how=how, about=about)


def parse_reached_out(text: str) -> tuple[str, str | None]:
    alias, _, how = text.partition(":")
    return alias.strip(), (how.strip() or None)


def checkin_hook(store: Store, day: date, *, reached_out: list[str]) -> Callable | None:
    """Validate `checkin --reached-out ALIAS[:call|text|in-person|video]` before the check-in's
    transaction; return a callable (conn, day) -> ("outreach", OutreachRecorded)
    that records them inside it. Checking in again with the same outreach does not count it twice."""
    if not reached_out:
        return None
    prepared = []
    for text in reached_out:
        alias, how = parse_reached_out(text)
        if not alias:
            raise InputError(f"--reached-out {text!r} needs an alias: ALIAS or ALIAS:call|text|in-person|video.")
        prepared.append(_prepare(store, alias, how))
    stamp, _ = store.stamp()

    def hook(conn, when: date):
        from recoverylog.storage import contacts as rows

        done: list[Outreach] = []
        for contact, how in prepared:
            recorded = not rows.outreach_exists_in(conn, contact["id"], when, how)
            if recorded:
                rows.add_outreach(conn, contact["id"], when, how, None, stamp)
            done.append(Outreach(alias=contact["alias"], role=contact["role"], date=when, how=how,
                                 about=None, recorded=recorded))
        return "outreach", OutreachRecorded(tuple(done))

    return hook
