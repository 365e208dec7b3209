"""Crisis lines (data, per locale): `data/crisis_lines.json`, never logic. Shown by `help-now`
and when a check-in needs support (services/support.py)."""

from __future__ import annotations

import json
import os
from typing import Any

from recoverylog.records import record


@record
class CrisisLine:
    name: str
    contact: str
    hours: str = ""
    source: str = ""


@record
class CrisisLines:
    locale: str
    country: str
    lines: tuple[CrisisLine, ...]
    from_system: bool = False
    fallback: bool = False  # no lines for the person's locale: showing the default's
    requested: str = ""  # the locale asked for (setting or system), "" when none could be found
    country_phrase: str = ""  # "the United Kingdom": for "Crisis lines for …"
    emergency: str = ""  # the emergency number, when confirmed for this locale


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
