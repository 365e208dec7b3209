"""Settings: how things are shown and which day is "today", never how stored rows are read.

The definitions live here (a leaf module); values live in the database's
`settings` table and are read through `storage.settings_store`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any

from recoverylog.errors import InputError, NotFoundError
from recoverylog.records import record


def _int_range(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise InputError(f"{text!r} is not a whole number ({low}–{high}).") from None
        if not low <= value <= high:
            raise InputError(f"{value} is out of range: use {low}–{high}.")
        return value

    return parse


def _positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{text!r} is not a number.") from None
    if not value > 0 or value != value or value == float("inf"):
        raise InputError(f"{text!r} must be a number greater than 0.")
    return value


def _on_off(text: str) -> bool:
    word = text.strip().lower()
    if word in ("on", "true", "yes", "1"):
        return True
    if word in ("off", "false", "no", "0"):
        return False
    raise InputError(f"{text!r} is not on or off.")


def _locale(text: str) -> str:
    word = text.strip().upper()
    if word in ("", "AUTO"):
        return ""
    if not (len(word) == 2 and word.isalpha()):
        raise InputError(f"{text!r} is not a two-letter country code (e.g. US, CA, GB, IE, AU) or 'auto'.")
    return word


def _question_set(text: str) -> str:
    word = text.strip().lower()
    if word not in ("quick", "full"):
        raise InputError(f"{text!r} is not quick or full (quick: mood, craving and use; full: also stress, "
                         "sleep, HALT, meetings, outreach and a note).")
    return word


def _currency(text: str) -> str:
    """A symbol or code shown beside money not spent (€, £, $, USD); 'none' for plain numbers."""
    word = text.strip()
    if word.lower() in ("", "none"):
        return ""
    if len(word) > 5 or any(not c.isprintable() or c.isspace() for c in word) or any(c.isdigit() for c in word):
        raise InputError(f"{text!r} is not a currency symbol or code (e.g. $, €, £, USD, EUR), or 'none'.")
    return word


@record
class SettingDef:
    key: str
    default: Any
    parse: Callable[[str], Any]
    help: str

    def show(self, value: Any) -> str:
        if isinstance(value, bool):
            return "on" if value else "off"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if value == "" and self.key == "crisis_locale":
            return "auto"
        if value == "" and self.key == "currency":
            return "none"
        return str(value)


DEFINITIONS: dict[str, SettingDef] = {
    d.key: d
    for d in (
        SettingDef("day_start_hour", 4, _int_range(0, 23),
                   "Hour (0–23) when a new day starts: a check-in at 01:30 counts for the previous date."),
        SettingDef("milestones", True, _on_off, "Show milestones (on/off)."),
        SettingDef("heavy_day_threshold", 5.0, _positive_number,
                   "Standard drinks that make a heavy day (NIAAA: 4 for women, 5 for men)."),
        SettingDef("grams_per_drink", 14.0, _positive_number,
                   "Grams of ethanol in one standard drink (US 14, UK 8, AU 10)."),
        SettingDef("crisis_locale", "", _locale,
                   "Country code for the crisis lines shown (US, CA, GB, IE, AU), or 'auto' for the system locale."),
        SettingDef("assessment_reminders", True, _on_off,
                   "Say in `status` when the next PHQ-9 / GAD-7 is due, 14 days after the last (on/off)."),
        SettingDef("pager", True, _on_off,
                   "Show long lists through a pager ($PAGER, else less) on a terminal (on/off); never when piped."),
        SettingDef("checkin_questions", "full", _question_set,
                   "What an interactive check-in asks: quick (mood, craving, use, medication) or full (also stress, sleep, "
                   "HALT, meetings, outreach, a note; each skippable with Enter)."),
        SettingDef("warnings", True, _on_off,
                   "Early warnings at status and after a check-in (on/off)."),
        SettingDef("currency", "", _currency,
                   "Symbol or code shown with money not spent ($, €, £, USD…), or 'none'."),
    )
}

ALIASES = {k.replace("_", "-"): k for k in DEFINITIONS}


def resolve_key(name: str) -> str:
    key = ALIASES.get(name.strip().lower(), name.strip().lower())
    if key not in DEFINITIONS:
        known = ", ".join(sorted(ALIASES))
        raise NotFoundError(f"Unknown setting {name!r}. Settings: {known}.")
    return key


@record
class Settings:
    day_start_hour: int = 4
    milestones: bool = True
    heavy_day_threshold: float = 5.0
    grams_per_drink: float = 14.0
    crisis_locale: str = ""
    assessment_reminders: bool = True
    pager: bool = True
    checkin_questions: str = "full"
    warnings: bool = True
    currency: str = ""

    @classmethod
    def from_stored(cls, stored: dict[str, str]) -> "Settings":
        """Build from stored text values; a value that no longer parses falls back to its default."""
        values = {}
        for f in fields(cls):
            if f.name in stored:
                try:
                    values[f.name] = DEFINITIONS[f.name].parse(stored[f.name])
                except InputError:
                    pass
        return replace(cls(), **values)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}
