"""Support shown when things are hard: crisis lines (data, per locale) and the person's own steps.

Crisis lines live in `data/crisis_lines.json`, never in logic, and are read by
`services/crisis.py` (named here too): a check-in that needs no support never loads them."""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING, Any

from recoverylog.records import record

if TYPE_CHECKING:
    from recoverylog.services.crisis import CrisisLines

HIGH_CRAVING = 8
LOW_MOOD = 2


@record
class SupportNow:
    needed: bool
    reason: str
    crisis: CrisisLines | None
    coping: tuple[str, ...] = ()
    contacts: tuple[tuple[str, str, str], ...] = ()  # (alias, role, phone)
    extra: dict[str, Any] = field(default_factory=dict)
    craving: bool = False        # raised by a high craving
    low_mood: bool = False       # raised by a low mood
    day: Any = None              # the check-in's date (datetime.date)
    today: Any = None            # so a day filled in later is named by its date, never "today"


_CRISIS = ("CrisisLine", "CrisisLines", "load_crisis_data", "system_locale", "crisis_lines", "known_locales")


def __getattr__(name: str):
    if name in _CRISIS:
        from recoverylog.services import crisis

        return getattr(crisis, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def support_now(store, checkin: dict[str, Any]) -> SupportNow:
    """What to show after a check-in: when craving ≥ 8 or mood ≤ 2, the person's first
    coping steps and help contacts, and the crisis lines of their locale."""
    craving = checkin.get("craving")
    mood = checkin.get("mood")
    reasons = []
    if craving is not None and craving >= HIGH_CRAVING:
        reasons.append(f"craving {craving}/10")
    if mood is not None and mood <= LOW_MOOD:
        reasons.append(f"mood {mood}/10")
    if not reasons:
        return SupportNow(needed=False, reason="", crisis=None)
    coping, contacts = _own_support(store)
    from datetime import date

    from recoverylog.services.crisis import crisis_lines

    day = checkin.get("date")
    return SupportNow(needed=True, reason=" and ".join(reasons),
                      crisis=crisis_lines(store.settings.crisis_locale),
                      coping=coping[:3], contacts=contacts,  # every person: the plan's and all contacts
                      craving=craving is not None and craving >= HIGH_CRAVING,
                      low_mood=mood is not None and mood <= LOW_MOOD,
                      day=date.fromisoformat(day) if isinstance(day, str) else day, today=store.today())


def _own_support(store) -> tuple[tuple[str, ...], tuple[tuple[str, str, str], ...]]:
    """The person's coping steps and help contacts, once the plan and contacts exist."""
    try:
        from recoverylog.services import plan as plan_service  # noqa: F401
    except ImportError:
        return (), ()
    getter = getattr(plan_service, "coping_and_contacts", None)
    return getter(store) if getter else ((), ())
