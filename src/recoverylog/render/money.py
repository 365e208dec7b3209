"""Money not spent, in words: the amount, what it counts, and the currency the person chose."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from recoverylog.render.console import print_wrapped


def money_text(amount: float, currency: str) -> str:
    number = f"{amount:,.2f}"
    if not currency:
        return number
    return f"{currency}{number}" if len(currency) == 1 else f"{number} {currency}"


def money_lines(items: Sequence, today: date) -> list[str]:
    from recoverylog.render.sobriety import days, fmt_day

    lines = []
    for m in items:
        name = m.name
        if m.amount is None:
            lines.append(f"Money not spent on {name}: not counted yet ({m.missing}).")
            continue
        each = money_text(m.per_day, m.currency)
        if m.goal == "abstain" and m.days == 0 and not m.unrecorded_days:
            since = f" from {fmt_day(m.since, today)}" if m.since else ""
            lines.append(f"Money not spent on {name}: counted again{since} ({each} a typical day).")
            continue
        if m.goal == "abstain":
            since = f" since {fmt_day(m.since, today)}" if m.since else ""
            line = (f"Money not spent on {name}{since}: {money_text(m.amount, m.currency)} "
                    f"({days(m.days)} recorded without use × {each} a day")
            line += f"; {days(m.unrecorded_days)} not recorded are not counted)." if m.unrecorded_days else ")."
        else:
            line = (f"Money not spent on {name} against a typical day before: {money_text(m.amount, m.currency)} "
                    f"({days(m.days)} recorded without use × {each}).")
        lines.append(line)
    if items and not items[0].currency:
        lines.append("(`recoverylog config set currency €` shows your currency.)")
    return lines


def render_money(console: Any, items: Sequence, today: date) -> None:
    if not items:
        return
    console.print()
    print_wrapped(console, money_lines(items, today), indent=0)
