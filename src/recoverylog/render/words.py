"""Small word helpers shared by every renderer, so a number reads the same everywhere."""

from __future__ import annotations


def num(value: float | None, digits: int = 1) -> str:
    """3 → '3', 2.5 → '2.5', None → '–' (undefined is never shown as 0)."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.{digits}f}"


def plural(n: int | float, word: str, many: str | None = None) -> str:
    """'1 day', '2 days', '2.5 drinks'; `many` for an irregular plural ('stretches')."""
    count = str(int(n)) if float(n).is_integer() else f"{n:g}"
    return f"{count} {word if n == 1 else (many or word + 's')}"
