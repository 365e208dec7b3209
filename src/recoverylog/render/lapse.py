"""The words after a lapse: the person's own "if I use" steps, their people, and how to record
the call. Calm, brief and exact; a lapse is information, not failure."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Any

from recoverylog.render.console import print_wrapped

if TYPE_CHECKING:
    from recoverylog.reports.lapse import LapseMoment


def render_lapse(console: Any, moment: "LapseMoment") -> None:
    """Works on a rich Console and on render.plain.PlainConsole."""
    console.print()
    console.rule("[bold]What your plan says now[/]", align="left", style="blue")
    if moment.if_i_use:
        console.print("If I use (your plan):")
        print_wrapped(console, [f"{i}. {item}" for i, item in enumerate(moment.if_i_use, 1)])
    else:
        print_wrapped(console, ["Your plan has no \"if I use\" steps yet. Writing them on a calm day helps: "
                                "`recoverylog plan add if-i-use \"call my sponsor within 24 hours\"`."], indent=0)
    if moment.people:
        console.print("People you can reach:")
        print_wrapped(console, [f"{alias} ({role})" + (f": {phone}" if phone else "")
                                for alias, role, phone in moment.people])
        alias = shlex.quote(moment.first_alias or "ALIAS")
        print_wrapped(console, [f"When you have reached out, `recoverylog reached-out {alias}` records it."],
                      indent=0)
    else:
        print_wrapped(console, ["Telling someone you trust soon is one of the most useful things to do after "
                                "a lapse. `recoverylog contact add ALIAS --role sponsor --phone ...` keeps them "
                                "one command away."], indent=0)


def lapse_json(moment: "LapseMoment | None") -> dict | None:
    if moment is None:
        return None
    return {"date": moment.day.isoformat(), "substances": list(moment.substances),
            "over_limit": list(moment.over_limit), "if_i_use": list(moment.if_i_use),
            "people": [{"alias": a, "role": r, "phone": p} for a, r, p in moment.people],
            "reached_out": f"recoverylog reached-out {shlex.quote(moment.first_alias)}"
            if moment.first_alias else None}
