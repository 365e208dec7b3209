"""Terminal views of check-ins: the confirmation, one day, and the list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from recoverylog.render.console import esc, print_wrapped

if TYPE_CHECKING:
    from rich.console import Console

    from recoverylog.reports.checkins import CheckinSummary
    from recoverylog.services.checkin import CheckinResult
    from recoverylog.services.contacts import Outreach
    from recoverylog.services.meetings import MeetingsRecorded
    from recoverylog.services.support import SupportNow
    from recoverylog.services.uses import UseConfirmation, UsesOutcome


def _num(value: float) -> str:
    return f"{value:g}"


def values_line(row: dict[str, Any]) -> str:
    parts = []
    if row.get("mood") is not None:
        parts.append(f"Mood {row['mood']}/10")
    if row.get("craving") is not None:
        parts.append(f"Craving {row['craving']}/10")
    if row.get("stress") is not None:
        parts.append(f"Stress {row['stress']}/10")
    if row.get("sleep") is not None:
        parts.append(f"Sleep {_num(row['sleep'])} h")
    return " · ".join(parts)


def encouragement(streak: int, created: bool) -> str:
    if not created:
        return "Your check-in is up to date."
    if streak <= 1:
        return "Checking in is a step in itself. Thank you for showing up today."
    if streak < 7:
        return f"{streak} days in a row of showing up for yourself."
    if streak < 30:
        return "A steady habit is forming: this record is yours to be proud of."
    return "Day after day, you keep showing up. That is what recovery looks like."


def render_confirmation(console: "Console", result: "CheckinResult", summary: "CheckinSummary",
                        support: "SupportNow", uses: "UsesOutcome | None" = None) -> None:
    row = result.checkin
    day = result.date.strftime("%A %-d %B %Y")
    verb = "saved" if result.created else "updated"
    console.print(f"[bold green]✓[/] Check-in {verb} for {day}")
    details = []
    if values_line(row):
        details.append(values_line(row))
    extra = []
    if row.get("halt"):
        extra.append("HALT: " + ", ".join(row["halt"]))
    if row.get("tags"):
        extra.append("Tags: " + ", ".join(row["tags"]))
    if extra:
        details.append(" · ".join(extra))
    private = [name for name in ("note", "gratitude") if row.get(name)]
    if private:
        details.append(f"{' and '.join(private).capitalize()} saved (private: never exported unless you ask).")
    if not result.created:
        if result.changed_fields:
            details.append(f"Changed: {', '.join(result.changed_fields)}. Earlier values are kept "
                           f"(recoverylog checkin show {result.date.isoformat()}).")
        else:
            details.append("Nothing new to change.")
    if result.created and result.backfilled:
        details.append(f"Filled in on {row['recorded_on']}, after the day itself.")
    if uses is not None:
        details.extend(uses_outcome_lines(uses))
    for key, value in result.extras.items():
        if key == "meetings":
            details.extend(meetings_recorded_lines(value, result.date))
        elif key == "outreach":
            details.extend(outreach_line(o) for o in value.items)
        elif key != "uses" and isinstance(value, dict):
            details.extend(value.get("lines", ()))
    print_wrapped(console, details)
    streak = summary.streak
    console.print(f"Check-in streak: [bold]{streak}[/] day{'s' if streak != 1 else ''}"
                  f" (longest {summary.longest_streak})")
    console.print(encouragement(streak, result.created))
    if support.needed:
        render_support(console, support)


# -- what a check-in or a `use` recorded, judged for its own date (docs/definitions.md §4) -----------

def use_confirmation_lines(c: "UseConfirmation") -> list[str]:
    """What to say about one substance's record: what was recorded, what still counts, one next step."""
    from recoverylog.render.sobriety import no_use_recorded_lines, use_recorded_lines

    if c.line.action == "no_use" or (c.line.action == "unchanged" and not c.line.used):
        return no_use_recorded_lines(c)
    return use_recorded_lines(c)


def uses_outcome_lines(outcome: "UsesOutcome") -> list[str]:
    """The check-in's use part: each written substance, kept uses, and what stays unrecorded.
    Records that were already there ("already") are not mentioned: with only those, nothing is said
    (and the sobriety wording is not even imported)."""
    if all(ln.action == "already" for ln in outcome.lines):
        return []
    import shlex

    from recoverylog.render.sobriety import fmt_amount, fmt_day

    day, today = outcome.day, outcome.today
    when = "today" if day == today else f"on {fmt_day(day)}"
    lines: list[str] = []
    for ln in outcome.lines:
        if ln.action == "use" or (ln.action == "unchanged" and ln.used):
            c = outcome.confirmation(ln.substance.id)
            if c is not None:
                lines += use_confirmation_lines(c)
    for ln in outcome.lines:
        if ln.action == "no_use" or (ln.action == "unchanged" and ln.used is False):
            c = outcome.confirmation(ln.substance.id)
            if c is not None:
                lines += use_confirmation_lines(c)
        elif ln.action == "kept":
            amount = fmt_amount(ln.amount, ln.substance.unit)
            name = ln.substance.name
            lines.append(f"{name}: the use already recorded {when}{f' ({amount})' if amount else ''} is kept; "
                         "--sober does not overwrite it. If it was a mistake: "
                         f"`recoverylog uses edit {shlex.quote(name)} --date {day.isoformat()} --not-used`.")
    unrecorded = [ln.substance.name for ln in outcome.lines if ln.action == "unrecorded"]
    if unrecorded:
        lines.append(f"Use {when} stays unrecorded for {', '.join(unrecorded)} (a day with no record is never "
                     "counted as sober). Add --sober or --used NAME[:AMOUNT] to this check-in to record it.")
    return lines


def meetings_recorded_lines(recorded: "MeetingsRecorded", day) -> list[str]:
    from recoverylog.services.meetings import describe

    lines = []
    for item in recorded.items:
        m = item.meeting
        if not item.created:
            lines.append(f"Meeting {m['name']} was already logged for {day.isoformat()} (#{m['id']}).")
            continue
        details = describe(m)
        lines.append(f"Meeting logged: {m['name']}" + (f" ({details})" if details else "")
                     + (f", details from {item.filled_from.isoformat()}" if item.filled_from else ""))
    return lines


def outreach_line(o: "Outreach") -> str:
    by = f" by {o.how}" if o.how else ""
    about = f" ({o.about})" if o.about else ""
    if not o.recorded:
        return f"Reached out to {o.alias}{by}: already recorded for {o.date.isoformat()}."
    return f"Reached out to {o.alias} ({o.role}){by}{about}. Reaching out is recovery work."
def support_words(support: "SupportNow") -> str:
    """The panel's first line, matching what raised it (a low mood is not a craving), and naming
    a day filled in later by its date, never "today"."""
    when = "today"
    if support.day is not None and support.today is not None and support.day != support.today:
        when = "on " + support.day.strftime("%a %-d %b %Y")
    said = f"You noted {support.reason} {when}."
    if support.craving and support.low_mood:
        return (f"{said} Heavy feelings and urges rise, peak and pass; you do not have to act on them or "
                "carry them alone.")
    if support.low_mood:
        return f"{said} A day this heavy is worth sharing with someone; you do not have to carry it alone."
    return f"{said} A craving rises, peaks and passes; you do not have to act on it."


def render_support(console: "Console", support: "SupportNow") -> None:
    """Calm and brief: the person's own steps and people first, then the crisis lines."""
    console.print()
    console.rule("[bold]Right now[/]", align="left", style="blue")
    print_wrapped(console, [support_words(support)], indent=0)
    if support.coping:
        console.print("Your coping steps:")
        print_wrapped(console, [f"{i}. {step}" for i, step in enumerate(support.coping, 1)])
    if support.contacts:
        console.print("People you can reach now:")
        print_wrapped(console, [f"{alias} ({role})" + (f": {phone}" if phone else "")
                                for alias, role, phone in support.contacts])
    else:
        print_wrapped(console, ["Reaching out to your sponsor or someone you trust can help right now."], indent=0)
    if support.crisis:
        console.print(f"If you need to talk to someone now ({esc(support.crisis.country)}):")
        import textwrap

        lines = support.crisis.lines
        left = max(len(line.contact) for line in lines) + 2
        for line in lines:
            words = textwrap.wrap(line.name, max(20, console.width - left - 2)) or [""]
            console.print(f"  [bold]{esc(line.contact.ljust(left))}[/]{esc(words[0])}", soft_wrap=True)
            for more in words[1:]:
                console.print(" " * (left + 2) + esc(more), soft_wrap=True)
    console.print("More help: [bold]recoverylog help-now[/]")


def render_show(console: "Console", row: dict[str, Any], history: list[dict[str, Any]]) -> None:
    from datetime import date

    day = date.fromisoformat(row["date"]).strftime("%A %-d %B %Y")
    console.print(f"[bold]{day}[/]")
    if values_line(row):
        console.print(values_line(row))
    if row.get("halt"):
        console.print("HALT: " + ", ".join(row["halt"]))
    if row.get("tags"):
        console.print("Tags: " + esc(", ".join(row["tags"])))
    if row.get("gratitude"):
        console.print(f"Grateful for: {esc(row['gratitude'])}")
    if row.get("note"):
        console.print(f"Note: {esc(row['note'])}")
    recorded = row["recorded_at"]
    later = " (filled in later)" if row["recorded_on"] > row["date"] else ""
    console.print(f"[dim]Recorded {recorded}{later}[/]")
    if history:
        console.print(f"[dim]{len(history)} earlier version{'s' if len(history) != 1 else ''}:[/]")
        for item in history:
            before = item["before"]
            summary = values_line(before) if "date" in before else "(no check-in)"
            console.print(f"[dim]  {item['changed_at']} {item['action']}: {summary}[/]")


def _short(text: str | None, width: int = 30) -> str:
    if not text:
        return ""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def render_list(console: "Console", rows: list[dict[str, Any]]) -> None:
    if not rows:
        console.print("No check-ins in that range yet. `recoverylog checkin` records today's.")
        return
    from rich.table import Table
    from rich.text import Text

    from recoverylog.render.console import strip_control

    table = Table(box=None, pad_edge=False, header_style="bold")
    for name, justify in (("Date", "left"), ("Mood", "right"), ("Crav.", "right"), ("Stress", "right"),
                          ("Sleep", "right"), ("HALT", "left"), ("Tags", "left"), ("Note", "left")):
        table.add_column(name, justify=justify, no_wrap=name == "Date", overflow="fold")
    for r in rows:
        def cell(value):
            return "" if value is None else _num(value) if isinstance(value, float) else str(value)

        table.add_row(r["date"], cell(r["mood"]), cell(r["craving"]), cell(r["stress"]), cell(r["sleep"]),
                      "".join(w[0].upper() for w in r["halt"]), esc(", ".join(r["tags"])),
                      # One line per note: cut with an ellipsis when the column is narrower than that.
                      Text(strip_control(_short(r["note"])), no_wrap=True, overflow="ellipsis"))
    console.print(table)
    console.print(f"[dim]{len(rows)} check-in{'s' if len(rows) != 1 else ''}. HALT: H hungry, A angry, L lonely, T tired.[/]")
