"""Early warnings on the terminal: what was recorded, and one next step each. Calm, no alarms."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from recoverylog.render.console import print_wrapped


def render_warnings(console: Any, warnings: Sequence) -> None:
    """Works on a rich Console and on render.plain.PlainConsole; prints nothing without warnings."""
    if not warnings:
        return
    console.print()
    console.rule("[bold]Worth noticing[/]", align="left", style="blue")
    for w in warnings:
        print_wrapped(console, [w.detail], indent=0)
        print_wrapped(console, [f"Next step: {w.next_step}"], indent=2)
    console.print("[dim]These come from your own record; `recoverylog config set warnings off` turns them off.[/]")
