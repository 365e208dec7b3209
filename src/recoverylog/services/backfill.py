"""Filling in unrecorded days of the last week from the check-in, or choosing not to.

The offer is never forced: a day the person declines is stored (`backfill_declined`) and not
offered again; a day skipped with Enter is offered next time. docs/definitions.md §10."""

from __future__ import annotations

from datetime import date

from recoverylog.storage.db import Store


def days_to_offer(store: Store, today: date) -> list[date]:
    """Days of the 7 before today with no check-in (on or after the first one), not declined."""
    from recoverylog.reports.warnings import recent_unrecorded
    from recoverylog.storage import checkins as checkin_rows

    declined = checkin_rows.declined_dates(store)
    return [d for d in recent_unrecorded(store, today) if d not in declined]


def decline(store: Store, day: date) -> None:
    from recoverylog.storage import checkins as checkin_rows

    stamp, _ = store.stamp()
    with store.write() as conn:
        checkin_rows.decline(conn, day, stamp)


def parse_line(text: str) -> tuple[int, int, bool]:
    """'6 2' or '6 2 sober' → (mood, craving, sober). Raises InputError with what to type."""
    from recoverylog.errors import InputError

    words = text.replace(",", " ").split()
    sober = bool(words) and words[-1].lower() in ("sober", "s")
    if sober:
        words = words[:-1]
    if len(words) != 2 or not all(w.isdigit() for w in words):
        raise InputError("Type mood and craving as two numbers, e.g. '6 2' (add 'sober' if you used nothing), "
                         "Enter to skip, or 'n' to leave the day unrecorded.")
    mood, craving = int(words[0]), int(words[1])
    if not 1 <= mood <= 10 or not 0 <= craving <= 10:
        raise InputError("Mood is 1–10 and craving 0–10, e.g. '6 2'.")
    return mood, craving, sober


def fill(store: Store, day: date, mood: int, craving: int, sober: bool):
    """One backfilled check-in (its own transaction); 'sober' records no use of every active substance."""
    from recoverylog.services import uses
    from recoverylog.services.checkin import CheckinInput, save_checkin
    from recoverylog.storage import substances as substance_rows

    hooks = []
    if sober and any(s.active for s in substance_rows.list_all(store)):
        hook = uses.checkin_hook(store, day, used=[], sober=True, ask=False)
        if hook:
            hooks.append(hook)
    return save_checkin(store, CheckinInput(date=day, mood=mood, craving=craving), hooks)
