"""Support shown when things are hard: crisis lines (data, per locale) and the person's own steps.

Crisis lines live in `data/crisis_lines.json`, never in logic."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

HIGH_CRAVING = 8
LOW_MOOD = 2


@dataclass(frozen=True)
class CrisisLine:
    name: str
    contact: str
    hours: str = ""
    source: str = ""


@dataclass(frozen=True)
class CrisisLines:
    locale: str
    country: str
    lines: tuple[CrisisLine, ...]
    from_system: bool = False
    fallback: bool = False  # no lines for the person's locale: showing the default's
    requested: str = ""  # the locale asked for (setting or system), "" when none could be found
    country_phrase: str = ""  # "the United Kingdom": for "Crisis lines for …"
    emergency: str = ""  # the emergency number, when confirmed for this locale


@dataclass(frozen=True)
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


def load_crisis_data() -> dict[str, Any]:
    from importlib import resources

    text = resources.files("recoverylog").joinpath("data/crisis_lines.json").read_text(encoding="utf-8")
    return json.loads(text)


def system_locale() -> str:
    """Country code from the environment's locale (LC_ALL, LC_MESSAGES, LANG): en_GB.UTF-8 → GB."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        base = value.split(".", 1)[0].split("@", 1)[0]
        if "_" in base:
            country = base.split("_", 1)[1].upper()
            if len(country) == 2 and country.isalpha():
                return country
    return ""


def crisis_lines(setting: str = "") -> CrisisLines:
    """The crisis lines for the `crisis_locale` setting, else the system locale, else the default."""
    data = load_crisis_data()
    from_system = not setting
    requested = (setting or system_locale()).upper()
    locale = requested
    entry = data["locales"].get(locale)
    fallback = entry is None
    if fallback:
        locale = data["default"]
        entry = data["locales"][locale]
    lines = tuple(CrisisLine(ln["name"], ln["contact"], ln.get("hours", ""), ln.get("source", ""))
                  for ln in entry["lines"])
    return CrisisLines(locale=locale, country=entry["country"], lines=lines,
                       from_system=from_system, fallback=fallback, requested=requested,
                       country_phrase=entry.get("country_phrase", entry["country"]),
                       emergency=(entry.get("emergency") or {}).get("contact", ""))


def known_locales() -> tuple[str, ...]:
    return tuple(sorted(load_crisis_data()["locales"]))


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
